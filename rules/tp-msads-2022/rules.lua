-- Médiateur(trice) social(e) accès aux droits et services, RNCP36241 (seed 001), DRAFT
-- The Ministry of Labour's rules for titres professionnels (arrêté du 22
-- décembre 2015, règlement général des sessions).
-- The engine calls decide(c) once per candidate; see docs/rules-guide.md.

local THRESHOLD = 0.5 -- a competency is acquired from a mean score of 0.5

-- Jury: at least 2 members, all habilitated professionals of the trade, none
-- of whom trained the candidate; whoever is named as assessor sits on it.
local function check_jury(c)
  if #c.jury < 2 then
    cev.fail("E_JURY", "jury", "the jury has %d member(s); at least 2 are required", #c.jury)
  end
  for i, m in ipairs(c.jury) do
    if m.profile ~= "professional" then
      cev.fail("E_JURY", "jury[" .. (i - 1) .. "]",
               "jury member %s is not a habilitated professional of the trade", m.id)
    end
    if m.trained_candidate then
      cev.fail("E_JURY", "jury[" .. (i - 1) .. "]", "jury member %s trained the candidate", m.id)
    end
  end
  -- (trained_candidate is refused above for every member, assessor or not)
  cev.check_assessors(c, {trained_may_assess = true})
end

-- Each CCP follows rules 2 to 7 of the titres professionnels: the first of
-- rules 2 to 6 that applies gives the proposal.
local function propose(c, b)
  return
    -- 2. A CCP held before the session (capitalised) is validated;
    --    evidence given for it is ignored.
    cev.held_before(c, b)
    -- 3. No evidence for any of its assessments: not presented.
    or cev.not_presented(b)
    -- 4. An assessment with no evidence, or absent, or excused: absent.
    or cev.absent(b, THRESHOLD)
    -- 5. An inadmissible assessment: not validated.
    or cev.inadmissible_evidence(b, THRESHOLD)
    -- 6. Validated when every competency is acquired (mean score from 0.5,
    --    scored, not eliminated).
    or cev.by_competencies(b, THRESHOLD)
end

-- Title: every CCP validated and, in a session titre (title-level evidence
-- given), the dossier professionnel submitted and the candidate present at
-- the entretien final; partial when at least one CCP is validated.
local function title_decision(c, ccps)
  local decision = cev.title(ccps)
  if decision == "awarded" and cev.any(c.assessments, function(a) return a.given end) then
    local dp = cev.find(c.assessments, cev.where("id", "DP"))
    local ef = cev.find(c.assessments, cev.where("id", "EF"))
    if dp.status ~= "present" or ef.status ~= "present" then
      return "partial"
    end
  end
  return decision
end

function decide(c)
  -- 1. The jury.
  check_jury(c)

  -- 2. to 6. A proposal for each CCP.
  local ccps = {}
  for i, b in ipairs(c.blocks) do
    ccps[i] = propose(c, b)
  end

  -- 7. The jury's sovereign deliberation on a CCP replaces the proposal
  --    (a deliberation on a CCP held before or not presented is refused).
  cev.deliberation(c, ccps)

  -- 8. The title.
  return {decision = title_decision(c, ccps), blocks = ccps}
end
