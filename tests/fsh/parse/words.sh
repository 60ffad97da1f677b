echo plain 'single $quoted' "double $HOME end" a\ b \$x '' ""
echo mixed'one'"two"three\\ "esc \" \$ \\ \x" ~/dir ~ x~
echo line\
continued
