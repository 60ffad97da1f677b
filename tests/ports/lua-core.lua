-- The language and its libraries, printed: closures, tables, strings,
-- patterns, integers and floats, coroutines, errors, the collector.
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c = counter(); c(); c()
print("closure", c())

local t = {}
for i = 1, 200 do t[i] = (i * 7919) % 263 end
table.sort(t)
print("sort", t[1], t[100], t[200], #t)
print("concat", table.concat({ "a", "b", "c" }, "-"))

local s = "The quick brown fox jumps over the lazy dog"
print("gsub", (s:gsub("%w+", function(w) return w:upper():sub(1, 1) end)))
for k, v in string.gmatch("a=1, b=22, c=333", "(%w+)=(%w+)") do
  io.write(k, ":", v, " ")
end
print()
print("find", s:find("fox"), s:match("(%a+) dog"))
print("format", string.format("%5.2f|%-6s|%x|%q", math.pi, "ab", 255, "q\n"))
print("rep", ("ab"):rep(3, ","))

print("int", 7 // 2, 7 % 3, 2^53, math.maxinteger, 1 << 62)
print("float", 7 / 2, math.sqrt(2), math.floor(-3.5), 0.1 + 0.2)
print("tostring", tostring(1e300 * 1e10), tostring(-0.0), 3 | 5, ~0)

local co = coroutine.create(function(a, b)
  local x = coroutine.yield(a + b)
  local y = coroutine.yield(x * 2)
  return y + 1
end)
print("coroutine", select(2, coroutine.resume(co, 1, 2)),
      select(2, coroutine.resume(co, 10)), select(2, coroutine.resume(co, 5)))

print("pcall", pcall(function() error("boom", 0) end))
print("error", select(2, pcall(function() return nil + 1 end)) ~= nil)

local big = {}
for i = 1, 100000 do big[i] = { i, tostring(i) } end
big = nil
collectgarbage()
print("gc", collectgarbage("count") < 10000)

local mt = setmetatable({}, { __index = function(_, k) return k * 2 end,
  __call = function(_, x) return x + 100 end })
print("meta", mt[21], mt(1))
print("utf8", utf8.char(233, 8364), utf8.len("\u{e9}t\u{e9}"))
print("os", os.time({ year = 2020, month = 1, day = 1, hour = 0 }) ~= nil,
      os.date("!%Y-%m-%d", 86400 * 365))
