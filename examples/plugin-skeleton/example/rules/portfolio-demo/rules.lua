-- A demonstration title decided on a portfolio alone: rules 2-8 of titles.md.
function decide(c)
  local blocks = cev.map(c.blocks, function(b) return cev.decide_block(c, b) end)
  return {decision = cev.title(blocks), blocks = blocks}
end
