/*
 * folder.h - the session folder (dossier de session): the CSV files a jury
 * secretary keeps for one session.  This subsystem reads the three files
 * that say who is there (session.csv, candidats.csv, jury.csv); the public
 * API (cev_folder_*) is in certeval/certeval.h.  The CSV reading is
 * table.h's, the cells' values cell.h's.
 *
 * Names of people are read here and stay here: nothing of this subsystem
 * writes them into a record.
 */
#ifndef CEV_FOLDER_H
#define CEV_FOLDER_H

#include "base/error.h"
#include "folder/table.h"

/* The columns of the three files, in the order the template writes them. */
extern const char *const cev_folder_session_cols[];
extern const char *const cev_folder_candidate_cols[];
extern const char *const cev_folder_jury_cols[];

/* cev_folder_read() for a caller that goes on checking other files when
 * these have problems (import): the folder is handed back whenever its
 * three files could be read as tables (session.csv with a row), problems or
 * not; *problem says whether there were any (added to `problems`).  CEV_OK
 * (*out may be NULL: the files could not be read, told), CEV_EIO,
 * CEV_ENOMEM. */
cev_code cev_folder_load(cev_folder **out, const char *dir, cev_errlist *problems,
                         int *problem, cev_error *err);

#endif
