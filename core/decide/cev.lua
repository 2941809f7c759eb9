-- cev.lua - the library certeval gives to every rules.lua (global `cev`).
--
-- Pure functions of their arguments: nothing here reads time, randomness or
-- the environment, and nothing keeps state between calls.  The reference for
-- rule authors is docs/rules-guide.md; the candidate table `c` that decide()
-- receives is described there too.
--
-- Each function is defined as a local, then put into `cev`: the functions of
-- this file call each other through the locals, so a rules.lua that replaces
-- `cev.join` while loading changes its own calls, not these.  The base
-- functions are locals for the same reason (a rules.lua may replace a global).
--
-- Thresholds are compared with a tolerance (EPS) so that a score that is
-- mathematically at a threshold is never on the wrong side of it because of
-- floating-point rounding.

-- The chunk's argument: the few helpers written in C for speed
-- (core/sandbox/native.c), each with the Lua it stands for.
local native = ...

local cev = {}
local EPS = 1e-9

local error, ipairs, select, tostring = error, ipairs, select, tostring
local format, concat = string.format, table.concat

---------------------------------------------------------------------------
-- Errors

-- Stops the decision of this record with an error record of `code`
-- ("E_JURY", "E_SCHEMA", "E_EVIDENCE", "E_TITLE" or "E_RULE"), naming the
-- field at `path` ("jury", "deliberation.RNCP36524BC03", ...).  Never
-- returns.
local function fail(code, path, fmt, ...)
  local message = fmt
  if select("#", ...) > 0 then message = format(fmt, ...) end
  error({cev_code = code, path = path or "", message = message}, 2)
end
cev.fail = fail

---------------------------------------------------------------------------
-- Numbers

-- Returns whether x >= threshold, where "=" holds within rounding.
local function at_least(x, threshold) return x >= threshold - EPS end
cev.at_least = at_least

-- Returns whether x < threshold, beyond rounding.
local function below(x, threshold) return x < threshold - EPS end
cev.below = below

-- Returns x as a text with two decimals and a decimal comma ("0,42"), for a
-- reason (reasons are French text).  (In C: string.format then gsub cost
-- about 4,000 instructions a call, for every competency below a threshold.)
local fmt = native.fmt
cev.fmt = fmt

---------------------------------------------------------------------------
-- Lists (arrays, read from list[1] up to the first nil, as ipairs does).
-- `pred` is a function of one item that returns true or false.

-- Returns a predicate that is true for an item whose `field` is `value`.
local function where(field, value)
  return function(item) return item[field] == value end
end
cev.where = where

-- Returns the sum of the numbers of `list` (0 for an empty list).
local function sum(list)
  local total = 0
  for _, x in ipairs(list) do total = total + x end
  return total
end
cev.sum = sum

-- Returns the arithmetic mean of `list`, or nil for an empty list.
local function mean(list)
  if #list == 0 then return nil end
  return sum(list) / #list
end
cev.mean = mean

-- Returns how many items satisfy pred.
local function count(list, pred)
  local n = 0
  for _, item in ipairs(list) do
    if pred(item) then n = n + 1 end
  end
  return n
end
cev.count = count

-- Returns true when every item satisfies pred (true for an empty list).
local function all(list, pred)
  for _, item in ipairs(list) do
    if not pred(item) then return false end
  end
  return true
end
cev.all = all

-- Returns true when some item satisfies pred.
local function any(list, pred)
  for _, item in ipairs(list) do
    if pred(item) then return true end
  end
  return false
end
cev.any = any

-- Returns the first item that satisfies pred, or nil.
local function find(list, pred)
  for _, item in ipairs(list) do
    if pred(item) then return item end
  end
  return nil
end
cev.find = find

-- Returns a new list of the items that satisfy pred, in order.
local function filter(list, pred)
  local out = {}
  for _, item in ipairs(list) do
    if pred(item) then out[#out + 1] = item end
  end
  return out
end
cev.filter = filter

-- Returns a new list of f(item) for each item, in order.
local function map(list, f)
  local out = {}
  for i, item in ipairs(list) do out[i] = f(item) end
  return out
end
cev.map = map

-- Returns the list of item[field] for each item, in order.
local function pluck(list, field)
  local out = {}
  for i, item in ipairs(list) do out[i] = item[field] end
  return out
end
cev.pluck = pluck

-- Returns a lookup table: item[field] -> item.
local function index(list, field)
  local out = {}
  for _, item in ipairs(list) do out[item[field]] = item end
  return out
end
cev.index = index

-- Returns whether `value` is an item of `list`.
local function contains(list, value)
  for _, item in ipairs(list) do
    if item == value then return true end
  end
  return false
end
cev.contains = contains

-- Returns the items as one text, "a, b, c" (or with `sep` between them);
-- an empty text for an empty list.
local function join(list, sep)
  local parts = {}
  for i, item in ipairs(list) do parts[i] = tostring(item) end
  return concat(parts, sep or ", ")
end
cev.join = join

---------------------------------------------------------------------------
-- The jury

-- Returns every assessment of the candidate: the blocks' in order, then the
-- title's.
local function all_assessments(c)
  local out = {}
  for _, b in ipairs(c.blocks) do
    for _, a in ipairs(b.assessments) do out[#out + 1] = a end
  end
  for _, a in ipairs(c.assessments) do out[#out + 1] = a end
  return out
end
cev.all_assessments = all_assessments

-- Checks that every assessor named in the evidence sits on the jury (the
-- field supervisor is never named) and, unless opts.trained_may_assess, did
-- not train the candidate.  Fails with E_JURY naming the evidence otherwise;
-- returns nothing.
local function check_assessors(c, opts)
  local trained_may_assess = opts and opts.trained_may_assess
  local members = index(c.jury, "id")
  for _, a in ipairs(all_assessments(c)) do
    for _, id in ipairs(a.assessors) do
      local member = members[id]
      local why = nil
      if member == nil then
        why = "is not a member of the jury"
      elseif member.trained_candidate and not trained_may_assess then
        why = "trained the candidate"
      end
      if why then
        fail("E_JURY", "evidence." .. a.id .. ".assessors." .. id, "%s: assessor %s %s",
             a.id, id, why)
      end
    end
  end
end
cev.check_assessors = check_assessors

---------------------------------------------------------------------------
-- What a block's decision is made of.  The decision steps further down use
-- these; a rules.lua may use them too, to write a step of its own.

-- Why an entry of acquired_blocks that c.equivalences maps does not count:
-- title.json's date condition on that equivalence (c.equivalences_before),
-- then `refuse` when given (a function(c, entry) returning a reason, nil
-- when it counts); nil when it counts.
local function refused(c, acquired, refuse)
  local before = c.equivalences_before[acquired.block]
  if before and acquired.date >= before then
    return "obtenu à partir du " .. before
      .. ", il ne vaut pas équivalence dans cette version du titre"
  end
  return refuse and refuse(c, acquired) or nil
end

-- Returns how the candidate already holds block b, or nil:
-- {source = "capitalised" | "equivalence", date = ..., from = code}.  Each
-- entry of acquired_blocks dated on or before the session date counts on
-- its own: one naming b gives "capitalised", one naming a block that
-- c.equivalences maps to b gives "equivalence" (unless refused, above); an
-- entry that does not count never hides a later one that does, and
-- "capitalised" wins when both hold (the first such entry in the list is
-- reported).
local function held(c, b, refuse)
  local equivalent = nil
  for _, acquired in ipairs(c.acquired_blocks) do
    if acquired.date <= c.session.date then
      if acquired.block == b.code then
        return {source = "capitalised", date = acquired.date, from = acquired.block}
      elseif equivalent == nil and c.equivalences[acquired.block] == b.code
          and not refused(c, acquired, refuse) then
        equivalent = {source = "equivalence", date = acquired.date, from = acquired.block}
      end
    end
  end
  return equivalent
end
cev.held = held

-- Returns the title's reasons about the entries of acquired_blocks that
-- count for nothing, one per entry, in the list's order (empty when all
-- count): an entry dated after the session, one naming no block of the
-- title nor a block of another certification that c.equivalences maps to
-- one (a block of a replaced certification), and an equivalence refused
-- (as for cev.held), with its reason.
local function uncounted(c, refuse)
  local reasons = {}
  if #c.acquired_blocks == 0 then return reasons end
  local own = {}
  for _, b in ipairs(c.blocks) do own[b.code] = true end
  for _, acquired in ipairs(c.acquired_blocks) do
    local what = acquired.block .. " acquis le " .. acquired.date
    if acquired.date > c.session.date then
      reasons[#reasons + 1] = what .. " : date postérieure à la session, non pris en compte"
    elseif not own[acquired.block] then
      local why = nil
      if c.equivalences[acquired.block] == nil then
        why = "bloc d'une certification remplacée sans équivalence dans ce titre,"
          .. " il ne compte pas"
      else
        why = refused(c, acquired, refuse)
      end
      if why then reasons[#reasons + 1] = what .. " : " .. why end
    end
  end
  return reasons
end
cev.uncounted = uncounted

-- Whether evidence was given for assessment a.
local function is_given(a) return a.given end

-- Whether the candidate missed assessment a: no evidence, absent or excused.
local function is_missed(a)
  return not a.given or a.status == "absent" or a.status == "excused"
end

-- Whether assessment a was found inadmissible.
local function is_inadmissible(a) return a.status == "inadmissible" end

-- Returns the assessments of b for which evidence was given.
local function given(b) return filter(b.assessments, is_given) end
cev.given = given

-- Returns whether some evidence was given for block b.
local function presented(b) return any(b.assessments, is_given) end
cev.presented = presented

-- Returns the assessments of b the candidate missed (no evidence, absent,
-- excused).
local function missed(b) return filter(b.assessments, is_missed) end
cev.missed = missed

-- Returns the inadmissible assessments of b.
local function inadmissible(b) return filter(b.assessments, is_inadmissible) end
cev.inadmissible = inadmissible

-- The French words for what the plugins flag and for the decisions, in the
-- reasons.  A flag with no words here is shown as it is.
local FLAG_WORDS = {
  late = "remis après la date limite",
  too_long = "nombre de pages dépassé",
  missing = "non remis",
}
local SOURCE_WORDS = {capitalised = "capitalisé", equivalence = "équivalence"}
local DECISION_WORDS = {
  validated = "validé",
  not_validated = "non validé",
  absent = "absent",
  not_presented = "non présenté",
}

-- Returns the flags of assessment a in words, "a, b" (empty when none).
local function flag_words(a)
  local words = {}
  for i, f in ipairs(a.flags) do words[i] = FLAG_WORDS[f] or f end
  return join(words)
end

-- Returns why assessment a was missed, as a reason text.
local function why_missed(a)
  if not a.given then return a.id .. " : aucun résultat transmis pour cette épreuve" end
  local why = a.id .. (a.status == "excused" and " : absence excusée" or " : candidat absent")
  if #a.flags > 0 then why = why .. " (" .. flag_words(a) .. ")" end
  return why
end
cev.why_missed = why_missed

-- Returns why assessment a is inadmissible, as a reason text.
local function why_inadmissible(a)
  return a.id .. " : épreuve irrecevable (" .. flag_words(a) .. ")"
end

-- Returns two things about competency `code` in block b, gathered in one
-- pass over the block's assessments: the mean of the scores they gave it
-- (summed in the assessments' order; nil when none did), and the ids of the
-- assessments in which one of its eliminatory criteria failed, in order
-- (nil when none).  (In C: it runs for every competency of every candidate.)
local evidence_of = native.evidence_of
cev.evidence_of = evidence_of

-- The same, one at a time: the mean score (or nil), and the list of ids
-- (empty when none).
function cev.mean_score(b, code)
  local score = evidence_of(b, code)
  return score
end

function cev.eliminated_in(b, code)
  local _, ids = evidence_of(b, code)
  return ids or {}
end

-- Returns the row of competency `code` of block b: its score (the mean of
-- the scores the block's assessments gave it, nil when none did), whether it
-- is acquired (scored, at least `threshold`, eliminated by no assessment) and
-- the reasons when it is not.
local function competency(b, code, threshold)
  local score, eliminated = evidence_of(b, code)
  local reasons = {}
  if score == nil then
    reasons[#reasons + 1] = "aucune épreuve n'a évalué cette compétence"
  elseif below(score, threshold) then
    reasons[#reasons + 1] = "score " .. fmt(score) .. " inférieur au seuil " .. fmt(threshold)
  end
  if eliminated then
    reasons[#reasons + 1] = "critère éliminatoire non atteint : " .. join(eliminated)
  end
  return {code = code, score = score, acquired = #reasons == 0, reasons = reasons}
end

-- Returns one competency row (see above) per competency of b, in order.
local function competencies(b, threshold)
  local rows = {}
  for i, k in ipairs(b.competencies) do rows[i] = competency(b, k.code, threshold) end
  return rows
end
cev.competencies = competencies

-- Returns one row per competency of b, with no score, all `acquired` (true
-- or false) and no reasons.
local function unscored(b, acquired)
  local rows = {}
  for i, k in ipairs(b.competencies) do
    rows[i] = {code = k.code, score = nil, acquired = acquired, reasons = {}}
  end
  return rows
end
cev.unscored = unscored

-- Returns a block row as decide() returns it, with `proposed` = `decision`
-- and `overridden` = false.  `fields` may give source (default "evaluated"),
-- reasons (default none) and competencies (default: unscored, acquired only
-- when the decision is "validated").
local function block(b, decision, fields)
  fields = fields or {}
  return {
    code = b.code,
    decision = decision,
    proposed = decision,
    overridden = false,
    source = fields.source or "evaluated",
    reasons = fields.reasons or {},
    competencies = fields.competencies or unscored(b, decision == "validated"),
  }
end
cev.block = block

-- Changes the proposal of a block row (decision and proposed both become
-- `decision`) and adds `reason` to its reasons: for a rule that looks at
-- several blocks, between the proposals and cev.deliberation.  Returns the
-- row.  Raises an error on a row the jury already deliberated on.
local function propose(row, decision, reason)
  if row.overridden then
    error("cev.propose: " .. row.code .. " was deliberated on already; a rule that changes"
          .. " a proposal goes before cev.deliberation", 2)
  end
  row.decision = decision
  row.proposed = decision
  row.reasons[#row.reasons + 1] = reason
  return row
end
cev.propose = propose

-- Applies the jury's deliberation on row's block, if any: the deliberation's
-- decision replaces the row's, `proposed` keeps the computed one,
-- `overridden` becomes true (even when the jury confirms) and a reason gives
-- the motivation.  Returns the row.  (cev.deliberation does this for every
-- block, after checking that the jury may deliberate on it.)
local function deliberate(c, row)
  local d = c.deliberation[row.code]
  if d == nil then return row end
  row.reasons[#row.reasons + 1] = "délibération du jury : " .. (DECISION_WORDS[d.decision] or d.decision)
    .. " (proposition des règles : " .. (DECISION_WORDS[row.proposed] or tostring(row.proposed)) .. ") — " .. d.motivation
  row.decision = d.decision
  row.overridden = true
  return row
end
cev.deliberate = deliberate

---------------------------------------------------------------------------
-- The decision steps, in the order a rules.lua applies them (rules 2 to 8).
--
-- Steps 2 to 6 each look at one block b and return its row when the step
-- decides it, or nil when it does not apply: the first step that returns a
-- row gives the block's proposal.  Rules that look at several blocks come
-- next, then the jury's deliberation (cev.deliberation), then the title
-- (cev.title).

-- Rule 2, held before: returns a validated row, source "capitalised" (or
-- "equivalence"), when the candidate already holds b (see cev.held), or
-- nil.  Evidence given for the block is ignored, and a reason says so.
-- `holds`, when given, replaces cev.held: a function(c, b) returning a hold
-- or nil (to restrict equivalences by date, say).
local function held_before(c, b, holds)
  local hold = (holds or held)(c, b)
  if hold == nil then return nil end
  local reasons = {(SOURCE_WORDS[hold.source] or hold.source) .. " : " .. hold.from .. " acquis le " .. hold.date}
  if presented(b) then
    reasons[2] = "les résultats transmis pour ce bloc ne sont pas pris en compte"
  end
  return block(b, "validated", {source = hold.source, reasons = reasons})
end
cev.held_before = held_before

-- Rule 3, not presented: returns a not_presented row when no evidence was
-- given for any assessment of b, or nil.
local function not_presented(b)
  if presented(b) then return nil end
  return block(b, "not_presented", {reasons = {"aucune épreuve du bloc n'a été présentée"}})
end
cev.not_presented = not_presented

-- Rule 4, absent: returns an absent row when the candidate missed an
-- assessment of b (no evidence, absent, excused), with a reason per
-- assessment missed, or nil.  The row shows the competencies as rule 6
-- scores them against `threshold`.
local function absent(b, threshold)
  local missing = missed(b)
  if #missing == 0 then return nil end
  return block(b, "absent", {competencies = competencies(b, threshold),
                             reasons = map(missing, why_missed)})
end
cev.absent = absent

-- Rule 5, inadmissible: returns a not_validated row when an assessment of b
-- is inadmissible, with a reason naming each one, or nil.  The row shows the
-- competencies as rule 6 scores them against `threshold`.
local function inadmissible_evidence(b, threshold)
  local refused = inadmissible(b)
  if #refused == 0 then return nil end
  return block(b, "not_validated", {competencies = competencies(b, threshold),
                                    reasons = map(refused, why_inadmissible)})
end
cev.inadmissible_evidence = inadmissible_evidence

-- Rule 6, competencies: returns a validated row when every competency of b
-- is acquired (see cev.competencies), a not_validated row naming the others
-- otherwise.  Always a row.
local function by_competencies(b, threshold)
  local rows = competencies(b, threshold)
  local missing = {}
  for _, k in ipairs(rows) do
    if not k.acquired then missing[#missing + 1] = k.code end
  end
  if #missing == 0 then return block(b, "validated", {competencies = rows}) end
  return block(b, "not_validated", {competencies = rows,
                                    reasons = {"compétences non acquises : " .. join(missing)}})
end
cev.by_competencies = by_competencies

-- Rule 7, the jury's deliberation: applies it (see cev.deliberate) to each
-- row of `rows` whose block the jury deliberated on.  Returns `rows`.
-- Fails with E_SCHEMA when the jury deliberated on a block the candidate
-- already holds or did not present in this session.
local function deliberation(c, rows)
  for _, row in ipairs(rows) do
    if c.deliberation[row.code] ~= nil then
      if row.source ~= "evaluated" then
        fail("E_SCHEMA", "deliberation." .. row.code,
             "deliberation on %s, a block the candidate already holds", row.code)
      elseif row.decision == "not_presented" then
        fail("E_SCHEMA", "deliberation." .. row.code,
             "deliberation on %s, a block not presented in this session", row.code)
      end
      deliberate(c, row)
    end
  end
  return rows
end
cev.deliberation = deliberation

-- Rule 8: returns the title's decision: "awarded" when every block row is
-- validated, "partial" when some are, "not_awarded" when none is.
local function title(rows)
  local validated = count(rows, where("decision", "validated"))
  if validated == #rows and #rows > 0 then return "awarded" end
  if validated > 0 then return "partial" end
  return "not_awarded"
end
cev.title = title

-- Rules 2 to 7 for one block, for a title with no rule across blocks:
-- returns the row of the first of steps 2 to 6 that decides b, with the
-- jury's deliberation applied.  `opts` may give threshold (default 0.5) and
-- held, a function(c, b) replacing cev.held.  The shipped packages spell the
-- steps out instead.
local function decide_block(c, b, opts)
  opts = opts or {}
  local threshold = opts.threshold or 0.5
  local row = held_before(c, b, opts.held)
    or not_presented(b)
    or absent(b, threshold)
    or inadmissible_evidence(b, threshold)
    or by_competencies(b, threshold)
  return deliberation(c, {row})[1]
end
cev.decide_block = decide_block

return cev
