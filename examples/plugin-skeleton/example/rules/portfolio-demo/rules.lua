-- A demonstration title decided on a portfolio alone, with the cev library's
-- usual block and title rules (docs/rules-guide.md).
function decide(c)
  local blocks = cev.map(c.blocks, function(b) return cev.decide_block(c, b) end)
  return {decision = cev.title(blocks), blocks = blocks}
end
