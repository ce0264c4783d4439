// Boundary to LMDB (Debian liblmdb-dev).
#ifndef LLMREC_CLMDB_SHIM_H
#define LLMREC_CLMDB_SHIM_H
#include <lmdb.h>
#endif
