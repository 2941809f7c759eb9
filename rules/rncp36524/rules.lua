-- RNCP36524 - Agent d'information, de communication et de médiation de
-- proximité (IMELIS).  Decision rules 1 to 8 of titles.md.  The engine calls
-- decide(c) once per candidate; `cev` is described in docs/rules-guide.md.

local THRESHOLD = 0.5 -- a competency is acquired from a mean score of 0.5

-- 1. Jury.  At least 2 members, at least one professional of mediation (or
-- a close sector) and one professional of training; every assessor named in
-- the evidence sits on the jury, and none of them trained the candidate.
-- (Only situation, oral and dossier evidence names assessors: the field
-- supervisor is not a jury member.)
local function check_jury(c)
  if #c.jury < 2 then
    cev.fail("E_JURY", "jury", "the jury has %d member(s); at least 2 are required", #c.jury)
  end
  if not cev.any(c.jury, cev.where("profile", "professional")) then
    cev.fail("E_JURY", "jury", "the jury has no professional of mediation or of a close sector")
  end
  if not cev.any(c.jury, cev.where("profile", "trainer")) then
    cev.fail("E_JURY", "jury", "the jury has no professional of training")
  end
  cev.check_assessors(c)
end

function decide(c)
  check_jury(c)
  -- 2. to 7., block by block (cev.decide_block):
  --   2. a block acquired on or before the session date is validated,
  --      source capitalised; evidence given for it is ignored;
  --   3. a block with no evidence at all is not presented;
  --   4. a missed assessment (no evidence, absent, excused) makes it absent;
  --   5. an inadmissible assessment makes it not validated;
  --   6. each competency: mean of the block's scores, acquired from 0.5 if
  --      scored and not eliminated; validated when all are acquired;
  --   7. the jury's deliberation replaces the decision of rules 4 to 6.
  local blocks = cev.map(c.blocks, function(b)
    return cev.decide_block(c, b, {threshold = THRESHOLD})
  end)
  -- 8. Title: awarded when all five blocks are validated.
  return {decision = cev.title(blocks), blocks = blocks}
end
