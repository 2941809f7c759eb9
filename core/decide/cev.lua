-- cev.lua - the library certeval gives to every rules.lua (global `cev`).
--
-- Pure functions of their arguments: nothing here reads time, randomness or
-- the environment, and nothing keeps state between calls.  The reference for
-- rule authors is docs/rules-guide.md; the candidate table `c` that decide()
-- receives is described there too.
--
-- Thresholds are compared with a tolerance (EPS) so that a score that is
-- mathematically at a threshold is never on the wrong side of it because of
-- floating-point rounding.

local cev = {}
local EPS = 1e-9

-- The base functions this file uses, as locals: once the sandbox freezes the
-- globals, reaching them through _ENV takes a metamethod on every access.
local error, select, tostring = error, select, tostring
local format, concat = string.format, table.concat

-- The helpers this file calls itself, as locals for the same reason: `cev`
-- is read-only once loaded, and each `cev.x` would take a metamethod.  They
-- are set at the end of the file, once defined.  (A rule that replaces
-- `cev.join` while loading changes its own calls, not these.)
local any, filter, map, pluck, index, contains, join
local below, fmt, unscored, block, deliberate, count, where, all_assessments

---------------------------------------------------------------------------
-- Errors

-- Stops the decision of this record with an error record of `code`
-- ("E_JURY", "E_SCHEMA", "E_EVIDENCE", "E_TITLE" or "E_RULE"), naming the
-- field at `path` ("jury", "deliberation.RNCP36524BC03", ...).
function cev.fail(code, path, fmt, ...)
  local message = fmt
  if select("#", ...) > 0 then message = format(fmt, ...) end
  error({cev_code = code, path = path or "", message = message}, 2)
end

---------------------------------------------------------------------------
-- Numbers

-- x >= threshold, where "=" holds within rounding.
function cev.at_least(x, threshold) return x >= threshold - EPS end

-- x < threshold, beyond rounding.
function cev.below(x, threshold) return x < threshold - EPS end

-- A number for a reason text: two decimals.
function cev.fmt(x) return format("%.2f", x) end

---------------------------------------------------------------------------
-- Lists (arrays).  `pred` is a function of one item.
--
-- Each helper visits list[1], list[2]... up to the first nil, as ipairs
-- does, with a while loop: ipairs would call a C iterator per item.

-- A predicate: item[field] == value.
function cev.where(field, value)
  return function(item) return item[field] == value end
end

function cev.sum(list)
  local s = 0
  local i, x = 1, list[1]
  while x ~= nil do s = s + x; i = i + 1; x = list[i] end
  return s
end

-- The arithmetic mean, or nil for an empty list.
function cev.mean(list)
  if #list == 0 then return nil end
  return cev.sum(list) / #list
end

function cev.count(list, pred)
  local n = 0
  local i, x = 1, list[1]
  while x ~= nil do
    if pred(x) then n = n + 1 end
    i = i + 1; x = list[i]
  end
  return n
end

function cev.all(list, pred)
  local i, x = 1, list[1]
  while x ~= nil do
    if not pred(x) then return false end
    i = i + 1; x = list[i]
  end
  return true
end

function cev.any(list, pred)
  local i, x = 1, list[1]
  while x ~= nil do
    if pred(x) then return true end
    i = i + 1; x = list[i]
  end
  return false
end

-- The first item satisfying pred, or nil.
function cev.find(list, pred)
  local i, x = 1, list[1]
  while x ~= nil do
    if pred(x) then return x end
    i = i + 1; x = list[i]
  end
  return nil
end

function cev.filter(list, pred)
  local out = {}
  local i, x, n = 1, list[1], 0
  while x ~= nil do
    if pred(x) then n = n + 1; out[n] = x end
    i = i + 1; x = list[i]
  end
  return out
end

function cev.map(list, f)
  local out = {}
  local i, x = 1, list[1]
  while x ~= nil do out[i] = f(x); i = i + 1; x = list[i] end
  return out
end

-- The list of item[field].
function cev.pluck(list, field)
  local out = {}
  local i, x = 1, list[1]
  while x ~= nil do out[i] = x[field]; i = i + 1; x = list[i] end
  return out
end

-- A lookup table item[field] -> item.
function cev.index(list, field)
  local out = {}
  local i, x = 1, list[1]
  while x ~= nil do out[x[field]] = x; i = i + 1; x = list[i] end
  return out
end

function cev.contains(list, value)
  local i, x = 1, list[1]
  while x ~= nil do
    if x == value then return true end
    i = i + 1; x = list[i]
  end
  return false
end

-- "a, b, c" (empty string for an empty list).
function cev.join(list, sep)
  local parts = {}
  local i, x = 1, list[1]
  while x ~= nil do parts[i] = tostring(x); i = i + 1; x = list[i] end
  return concat(parts, sep or ", ")
end

---------------------------------------------------------------------------
-- The jury

-- Every assessment of the candidate: the blocks' in order, then the title's.
function cev.all_assessments(c)
  local all = {}
  local blocks, n = c.blocks, 0
  for i = 1, #blocks do
    local assessments = blocks[i].assessments
    for j = 1, #assessments do n = n + 1; all[n] = assessments[j] end
  end
  for j = 1, #c.assessments do n = n + 1; all[n] = c.assessments[j] end
  return all
end

-- Every assessor named in the evidence sits on the jury (the field
-- supervisor is never named) and, unless opts.trained_may_assess, did not
-- train the candidate.  E_JURY naming the evidence otherwise.
function cev.check_assessors(c, opts)
  local members = index(c.jury, "id")
  local all = all_assessments(c)
  for i = 1, #all do
    local a = all[i]
    for j = 1, #a.assessors do
      local id = a.assessors[j]
      local m = members[id]
      if m == nil then
        cev.fail("E_JURY", "evidence." .. a.id .. ".assessors." .. id,
                 "%s: assessor %s is not a member of the jury", a.id, id)
      end
      if m.trained_candidate and not (opts and opts.trained_may_assess) then
        cev.fail("E_JURY", "evidence." .. a.id .. ".assessors." .. id,
                 "%s: assessor %s trained the candidate", a.id, id)
      end
    end
  end
end

---------------------------------------------------------------------------
-- Building blocks of a block decision (titles.md, rules 2 to 8).

-- Rule 2, held before: how the candidate already holds block b, or nil.
-- Returns {source = "capitalised" | "equivalence", date = ..., from = code}
-- for an entry of acquired_blocks dated on or before the session date that
-- names b, or names a block that c.equivalences maps to b.
function cev.held(c, b)
  for i = 1, #c.acquired_blocks do
    local ab = c.acquired_blocks[i]
    if ab.date <= c.session.date then
      if ab.block == b.code then
        return {source = "capitalised", date = ab.date, from = ab.block}
      elseif c.equivalences[ab.block] == b.code then
        return {source = "equivalence", date = ab.date, from = ab.block}
      end
    end
  end
  return nil
end

-- The predicates below are created once: a closure built inside a helper
-- would be allocated again on every call, for every candidate.
local function is_given(a) return a.given end
local function is_missed(a) return not a.given or a.status == "absent" or a.status == "excused" end
local function is_inadmissible(a) return a.status == "inadmissible" end
local function not_acquired(row) return not row.acquired end

-- The assessments of b for which evidence was given.
function cev.given(b) return filter(b.assessments, is_given) end

-- Rule 3: some evidence was given for the block.
function cev.presented(b) return any(b.assessments, is_given) end

-- Rule 4: the assessments the candidate missed (no evidence, absent, excused).
function cev.missed(b) return filter(b.assessments, is_missed) end

-- Rule 5: the inadmissible assessments.
function cev.inadmissible(b) return filter(b.assessments, is_inadmissible) end

-- Why an assessment was missed, for a reason text.
function cev.why_missed(a)
  if not a.given then return "no evidence for " .. a.id end
  local why = a.status .. " from " .. a.id
  if #a.flags > 0 then why = why .. " (" .. join(a.flags) .. ")" end
  return why
end

-- Rule 6: one row per competency of b: score = mean of the scores the
-- block's assessments gave it (nil when none did); acquired when scored, at
-- least `threshold` and eliminated by no assessment.
-- (The scores are summed in the assessments' order from 0, as cev.mean
-- would, without building the list: this runs for every competency of
-- every candidate.)
-- (The assessments that eliminate something are found once per block: there
-- are usually none, and the competency loop then reads only the scores.)
function cev.competencies(b, threshold)
  local rows, assessments, competencies = {}, b.assessments, b.competencies
  local nassess, eliminating = #assessments, nil
  for j = 1, nassess do
    local a = assessments[j]
    if #a.eliminated > 0 then
      eliminating = eliminating or {}
      eliminating[#eliminating + 1] = a
    end
  end
  for i = 1, #competencies do
    local code = competencies[i].code
    local sum, n, eliminated_by = 0, 0, nil
    for j = 1, nassess do
      local s = assessments[j].scores[code]
      if s ~= nil then sum, n = sum + s, n + 1 end
    end
    if eliminating then
      for j = 1, #eliminating do
        local a = eliminating[j]
        if contains(a.eliminated, code) then
          eliminated_by = eliminated_by or {}
          eliminated_by[#eliminated_by + 1] = a.id
        end
      end
    end
    local score = n > 0 and sum / n or nil
    local reasons = {}
    if score == nil then
      reasons[1] = "not scored by any assessment"
    elseif below(score, threshold) then
      reasons[1] = "score " .. fmt(score) .. " is below " .. fmt(threshold)
    end
    if eliminated_by then
      reasons[#reasons + 1] = "eliminatory criterion failed in " .. join(eliminated_by)
    end
    rows[i] = {code = code, score = score, acquired = #reasons == 0, reasons = reasons}
  end
  return rows
end

-- Competency rows without scores, all `acquired` (true or false).
function cev.unscored(b, acquired)
  local rows = {}
  for i = 1, #b.competencies do
    rows[i] = {code = b.competencies[i].code, score = nil, acquired = acquired, reasons = {}}
  end
  return rows
end

-- A block row as decide() returns it.  `fields` may give source (default
-- "evaluated"), reasons (default none) and competencies (default: unscored,
-- acquired only when the decision is "validated").
function cev.block(b, decision, fields)
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

-- Rule 7: the jury's deliberation on this block, if any, replaces the
-- decision; `proposed` keeps the computed one.
function cev.deliberate(c, row)
  local d = c.deliberation[row.code]
  if d == nil then return row end
  row.reasons[#row.reasons + 1] = "jury deliberation: " .. d.decision .. " (proposed "
    .. row.proposed .. "): " .. d.motivation
  row.decision = d.decision
  row.overridden = true
  return row
end

-- Rules 2 to 7 in one call, for titles whose regulation says a block's
-- decision "follows rules 2-7" (titles.md: the TPs' CCPs).  `opts` may give
-- threshold (default 0.5) and held, a function(c, b) replacing cev.held (to
-- restrict equivalences, say).  A deliberation on a held or not-presented
-- block is E_SCHEMA.  rncp36524/rules.lua spells the same steps out.
function cev.decide_block(c, b, opts)
  opts = opts or {}
  local held = (opts.held or cev.held)(c, b)
  local deliberation = c.deliberation[b.code]
  local presented = cev.presented(b)
  if held or not presented then
    if deliberation then
      cev.fail("E_SCHEMA", "deliberation." .. b.code, "deliberation on %s, a block %s", b.code,
               held and "the candidate already holds" or "not presented in this session")
    end
    if held then
      local reasons = {held.source .. ": " .. held.from .. " acquired on " .. held.date}
      if presented then reasons[2] = "evidence given for this block is ignored" end
      return block(b, "validated", {source = held.source, reasons = reasons})
    end
    return block(b, "not_presented", {reasons = {"no evidence for any assessment of the block"}})
  end
  local comps = cev.competencies(b, opts.threshold or 0.5)
  local missed, inadmissible = cev.missed(b), cev.inadmissible(b)
  local row
  if #missed > 0 then
    row = block(b, "absent", {competencies = comps, reasons = map(missed, cev.why_missed)})
  elseif #inadmissible > 0 then
    row = block(b, "not_validated", {competencies = comps, reasons = map(inadmissible,
      function(a) return a.id .. " is inadmissible (" .. join(a.flags) .. ")" end)})
  else
    local missing = filter(comps, not_acquired)
    row = block(b, #missing == 0 and "validated" or "not_validated", {competencies = comps})
    if #missing > 0 then
      row.reasons[1] = "competencies not acquired: " .. join(pluck(missing, "code"))
    end
  end
  return deliberate(c, row)
end

-- Rule 8: awarded when every block is validated, partial when some are,
-- not_awarded when none is.
function cev.title(rows)
  local validated = count(rows, where("decision", "validated"))
  if validated == #rows and #rows > 0 then return "awarded" end
  if validated > 0 then return "partial" end
  return "not_awarded"
end

any, filter, map, pluck, index, contains, join =
  cev.any, cev.filter, cev.map, cev.pluck, cev.index, cev.contains, cev.join
below, fmt, unscored, block, deliberate, count, where, all_assessments =
  cev.below, cev.fmt, cev.unscored, cev.block, cev.deliberate, cev.count, cev.where,
  cev.all_assessments

return cev
