-- Technicien(ne) médiation services, 2012 revision (seed 002)
-- The Ministry of Labour's rules for titres professionnels (arrêté du 22
-- décembre 2015, règlement général des sessions).
-- The engine calls decide(c) once per candidate; see docs/rules-guide.md.
-- Reasons are French text for the jury and the candidate.

local THRESHOLD = 0.5 -- a competency is acquired from a mean score of 0.5

-- Equivalences (title.json): a CCP of the 2004 version counts as the
-- matching 2012 CCP only when obtained before this version came into force
-- ("acquired_before"); one obtained later (in the 2004 version's completion
-- year) can only complete the 2004 title: it counts for nothing here, and
-- the title's reasons say so (cev.held_before, cev.uncounted).

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

-- The session (c.session.type, required by title.json's session_types): a
-- session CCP evaluates CCPs only; the dossier professionnel and the
-- entretien final belong to a session titre.
local function check_session(c)
  if c.session.type ~= "ccp" then return end
  for _, a in ipairs(c.assessments) do
    if a.given then
      cev.fail("E_EVIDENCE", "evidence." .. a.id, "%s: title-level evidence in a session ccp"
               .. " (only CCPs are evaluated there; %s belongs to a session titre)", a.id, a.id)
    end
  end
end

-- Each CCP follows rules 2 to 7 of the titres professionnels: the first of
-- rules 2 to 6 that applies gives the proposal.
local function propose(c, b)
  return
    -- 2. A CCP held before the session (capitalised, or by
    --    equivalence under the condition above) is validated;
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

-- What a session titre requires besides the CCPs: the dossier professionnel
-- submitted and the candidate present at the entretien final, its last
-- event ("toutes les sessions titre comprennent comme dernière épreuve un
-- entretien final obligatoire avec le jury").  Returns the reasons naming
-- what is missing (empty when nothing is).
local DP_FLAGS = {late = "remis après la date limite", too_long = "nombre de pages dépassé"}
local function titre_missing(c)
  local missing = {}
  local dp = cev.find(c.assessments, cev.where("id", "DP"))
  local ef = cev.find(c.assessments, cev.where("id", "EF"))
  if dp.status == "inadmissible" then -- handed in, but refused: not "non remis"
    local why = cev.join(cev.map(dp.flags, function(f) return DP_FLAGS[f] or f end))
    missing[#missing + 1] = "dossier professionnel (DP) irrecevable (" .. why .. ") :"
      .. " un dossier recevable est exigé en session titre"
  elseif dp.status ~= "present" then
    missing[#missing + 1] = "dossier professionnel (DP) non remis : il est exigé en session titre"
  end
  if ef.status ~= "present" then
    missing[#missing + 1] = "entretien final (EF) non passé (candidat absent ou non convoqué) :"
      .. " il est obligatoire en session titre"
  end
  return missing
end

-- 8. The title.  Every CCP validated or held: awarded, except in a session
-- titre that lacks the dossier professionnel or the entretien final
-- (partial, with a reason naming what is missing); in a session CCP, a
-- title so completed is obtained by capitalisation.  Partial when at least
-- one CCP is validated or held, not awarded otherwise.  The reasons also
-- name each acquired block that counts for nothing.
local function title(c, ccps)
  local decision = cev.title(ccps)
  local reasons = cev.uncounted(c)
  if c.session.type == "titre" then
    local missing = titre_missing(c)
    if #missing > 0 and decision == "awarded" then decision = "partial" end
    for _, why in ipairs(missing) do reasons[#reasons + 1] = why end
  end
  return {decision = decision, reasons = reasons, blocks = ccps}
end

function decide(c)
  -- 1. The jury, and what the session may hold.
  check_jury(c)
  check_session(c)

  -- 2. to 6. A proposal for each CCP.
  local ccps = {}
  for i, b in ipairs(c.blocks) do
    ccps[i] = propose(c, b)
  end

  -- 7. The jury's sovereign deliberation on a CCP replaces the proposal
  --    (a deliberation on a CCP held before or not presented is refused).
  cev.deliberation(c, ccps)

  -- 8. The title.
  return title(c, ccps)
end
