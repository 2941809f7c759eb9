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

#endif
