-- RNCP36524 - Agent d'information, de communication et de médiation de
-- proximité (IMELIS).  The decision rules 1 to 8 of the title, in order.
-- The engine calls decide(c) once per candidate; `cev` is described in
-- docs/rules-guide.md.

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
    cev.fail("E_JURY", "jury", 'the jury has no member with profile "professional"')
  end
  if not cev.any(c.jury, cev.where("profile", "trainer")) then
    cev.fail("E_JURY", "jury", 'the jury has no member with profile "trainer"')
  end
  cev.check_assessors(c)
end

-- 2. to 6. What the rules propose for one block: the first of these rules
-- that applies decides it.
local function propose(c, b)
  return
    -- 2. Held before: a block acquired on or before the session date is
    --    validated, source capitalised; evidence given for it is ignored.
    cev.held_before(c, b)
    -- 3. Not presented: no evidence for any of its assessments.
    or cev.not_presented(b)
    -- 4. Absent: an assessment with no evidence, or absent, or excused.
    or cev.absent(b, THRESHOLD)
    -- 5. Inadmissible: an inadmissible assessment makes it not validated.
    or cev.inadmissible_evidence(b, THRESHOLD)
    -- 6. Competencies: each one's score is the mean of the block's scores,
    --    acquired from 0.5 if scored and not eliminated; the block is
    --    validated when every competency is acquired.
    or cev.by_competencies(b, THRESHOLD)
end

function decide(c)
  -- 1. The jury must be properly composed.
  check_jury(c)

  -- 2. to 6. A proposal for each block.
  local blocks = {}
  for i, b in ipairs(c.blocks) do
    blocks[i] = propose(c, b)
  end

  -- 7. The jury's deliberation on a block replaces the proposal of rules
  --    4 to 6 (a deliberation on a block held before or not presented is
  --    refused).
  cev.deliberation(c, blocks)

  -- 8. Title: awarded when all five blocks are validated, partial when at
  --    least one is, not awarded otherwise.  Its reasons name each acquired
  --    block that counts for nothing (dated after the session, or a block
  --    of RNCP32164, which this title replaces with no equivalence).
  return {decision = cev.title(blocks), reasons = cev.uncounted(c), blocks = blocks}
end
