/*
 * packages.h - throw-away title packages for tests: a minimal valid
 * title.json (one block, one `field` assessment) that each test bends.
 */
#ifndef CEV_TEST_PACKAGES_H
#define CEV_TEST_PACKAGES_H

/* The header fields of the minimal package (no braces), and its block. */
#define TST_HEAD                                                                             \
    "\"code\": \"TST\", \"name\": \"Test title\", \"level\": 3, \"certifier\": \"Test\", "    \
    "\"version\": \"1\", \"status\": \"active\", \"rules\": \"rules.lua\""
#define TST_BLOCK                                                                            \
    "{\"code\": \"B1\", \"name\": \"Bloc\", \"competencies\": [{\"code\": \"K1\", "         \
    "\"label\": \"k1\"}, {\"code\": \"K2\", \"label\": \"k2\"}], \"assessments\": [{\"id\": " \
    "\"B1.f\", \"modality\": \"field\", \"label\": \"terrain\", \"config\": {\"scale_max\": " \
    "4, \"competencies\": [\"K1\", \"K2\"]}}]}"
#define TST_TITLE "{" TST_HEAD ", \"blocks\": [" TST_BLOCK "]}"

/* A decide() that follows rules 2-8 with the cev building blocks. */
#define TST_RULES                                                                            \
    "function decide(c)\n"                                                                   \
    "  local rows = cev.map(c.blocks, function(b)\n"                                         \
    "    local held = cev.held(c, b)\n"                                                      \
    "    if held then return cev.block(b, 'validated', {source = held.source}) end\n"       \
    "    if not cev.presented(b) then return cev.block(b, 'not_presented') end\n"           \
    "    if #cev.missed(b) > 0 then return cev.deliberate(c, cev.block(b, 'absent')) end\n" \
    "    local comps = cev.competencies(b, 0.5)\n"                                           \
    "    local ok = cev.all(comps, function(k) return k.acquired end)\n"                    \
    "    return cev.deliberate(c, cev.block(b, ok and 'validated' or 'not_validated',\n"    \
    "                                       {competencies = comps}))\n"                      \
    "  end)\n"                                                                               \
    "  return {decision = cev.title(rows), blocks = rows}\n"                                 \
    "end\n"

/* Writes dir/name/{title.json, rules.lua}; returns the package folder (free). */
char *make_package(const char *dir, const char *name, const char *title_json,
                   const char *rules_lua);

#endif
