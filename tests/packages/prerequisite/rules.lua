-- RNCP99998 - the worked example of docs/rules-guide.md: a prerequisite
-- between blocks.  Block 3 can be validated only if blocks 1 and 2 are
-- validated or held.  The engine calls decide(c) once per candidate.

local THRESHOLD = 0.5 -- a competency is acquired from a mean score of 0.5

-- 1. Jury: at least 2 members.
local function check_jury(c)
  if #c.jury < 2 then
    cev.fail("E_JURY", "jury", "the jury has %d member(s); at least 2 are required", #c.jury)
  end
end

-- 2. to 6. What the rules propose for one block: the first of these rules
-- that applies decides it.
local function propose(c, b)
  return cev.held_before(c, b)                 -- 2. held before: validated
      or cev.not_presented(b)                  -- 3. no evidence at all
      or cev.absent(b, THRESHOLD)              -- 4. an assessment missed
      or cev.inadmissible_evidence(b, THRESHOLD) -- 5. an inadmissible assessment
      or cev.by_competencies(b, THRESHOLD)     -- 6. every competency acquired
end

-- 7. Prerequisite: block 3 can be validated only if blocks 1 and 2 are
-- validated or held (a block held before is validated, source
-- capitalised).  When they are not, the proposal for block 3 becomes
-- not_validated, with a reason naming them.  A block 3 held before stays
-- validated: the prerequisite concerns the evaluation of this session.
local function prerequisite(blocks)
  local bc03 = blocks[3]
  if bc03.decision ~= "validated" or bc03.source ~= "evaluated" then return end
  local missing = {}
  for _, required in ipairs({blocks[1], blocks[2]}) do
    if required.decision ~= "validated" then missing[#missing + 1] = required.code end
  end
  if #missing > 0 then
    cev.propose(bc03, "not_validated", "prérequis non rempli : " .. cev.join(missing)
                .. " ni validé ni détenu")
  end
end

function decide(c)
  -- 1. The jury must be properly composed.
  check_jury(c)

  -- 2. to 6. A proposal for each block.
  local blocks = {}
  for i, b in ipairs(c.blocks) do
    blocks[i] = propose(c, b)
  end

  -- 7. The prerequisite, on the proposals: after rules 2 to 6, before the
  --    jury deliberates.
  prerequisite(blocks)

  -- 8. The jury's deliberation replaces a proposal, the prerequisite's
  --    included (the jury is sovereign).
  cev.deliberation(c, blocks)

  -- 9. Title: awarded when all three blocks are validated, partial when at
  --    least one is, not awarded otherwise.
  return {decision = cev.title(blocks), blocks = blocks}
end
