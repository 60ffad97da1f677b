-- Words of stdin, counted and sorted by count then word.
local count = {}
for line in io.lines() do
  for w in line:gmatch("%a+") do
    w = w:lower()
    count[w] = (count[w] or 0) + 1
  end
end
local words = {}
for w in pairs(count) do words[#words + 1] = w end
table.sort(words, function(a, b)
  if count[a] ~= count[b] then return count[a] > count[b] end
  return a < b
end)
for i = 1, math.min(10, #words) do print(count[words[i]], words[i]) end
