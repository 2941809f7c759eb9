-- RNCP36524 - Agent d'information, de communication et de médiation de
-- proximité (IMELIS).  Decision rules 1 to 8 of titles.md, in that order.
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
    cev.fail("E_JURY", "jury", "the jury has no professional of mediation or of a close sector")
  end
  if not cev.any(c.jury, cev.where("profile", "trainer")) then
    cev.fail("E_JURY", "jury", "the jury has no professional of training")
  end
  local members = cev.index(c.jury, "id")
  for _, b in ipairs(c.blocks) do
    for _, a in ipairs(b.assessments) do
      for _, id in ipairs(a.assessors) do
        local path = "evidence." .. a.id .. ".assessors." .. id
        local m = members[id]
        if m == nil then
          cev.fail("E_JURY", path, "%s: assessor %s is not a member of the jury", a.id, id)
        end
        if m.trained_candidate then
          cev.fail("E_JURY", path, "%s: assessor %s trained the candidate", a.id, id)
        end
      end
    end
  end
end

local function decide_block(c, b)
  -- 2. Held before: capitalised (or held through an equivalence); any
  -- evidence given for the block is ignored.
  local held = cev.held(c, b)
  if held then
    local reasons = {held.source .. ": " .. held.from .. " acquired on " .. held.date}
    if cev.presented(b) then
      reasons[#reasons + 1] = "evidence given for this block is ignored"
    end
    if c.deliberation[b.code] then
      cev.fail("E_SCHEMA", "deliberation." .. b.code,
               "deliberation on %s, a block the candidate already holds", b.code)
    end
    return cev.block(b, "validated", {source = held.source, reasons = reasons})
  end

  -- 3. Not presented: no evidence for any assessment of the block.
  if not cev.presented(b) then
    if c.deliberation[b.code] then
      cev.fail("E_SCHEMA", "deliberation." .. b.code,
               "deliberation on %s, a block not presented in this session", b.code)
    end
    return cev.block(b, "not_presented", {reasons = {"no evidence for any assessment of the block"}})
  end

  -- Scores are reported for every evaluated block, from whatever was scored
  -- (formats.md: a score is null only when nothing scored it); rules 4 and 5
  -- still decide the block before rule 6 does.
  local comps = cev.competencies(b, THRESHOLD)
  local row
  local missed = cev.missed(b)
  local inadmissible = cev.inadmissible(b)
  if #missed > 0 then
    -- 4. Absent: an assessment without evidence, or absent, or excused.
    row = cev.block(b, "absent", {competencies = comps, reasons = cev.map(missed, cev.why_missed)})
  elseif #inadmissible > 0 then
    -- 5. Inadmissible: the work could not be scored.
    row = cev.block(b, "not_validated", {competencies = comps, reasons = cev.map(inadmissible, function(a)
      return a.id .. " is inadmissible (" .. cev.join(a.flags) .. ")"
    end)})
  else
    -- 6. Competencies: mean of the block's scores, >= 0.5, not eliminated.
    local missing = cev.filter(comps, function(k) return not k.acquired end)
    if #missing == 0 then
      row = cev.block(b, "validated", {competencies = comps})
    else
      row = cev.block(b, "not_validated", {competencies = comps, reasons = {
        "competencies not acquired: " .. cev.join(cev.pluck(missing, "code"))
      }})
    end
  end

  -- 7. Deliberation: the jury is sovereign over rules 4 to 6.
  return cev.deliberate(c, row)
end

function decide(c)
  check_jury(c)
  local blocks = cev.map(c.blocks, function(b) return decide_block(c, b) end)
  -- 8. Title: awarded when all five blocks are validated.
  return {decision = cev.title(blocks), blocks = blocks}
end
