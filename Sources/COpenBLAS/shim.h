// Boundary to OpenBLAS (Debian libopenblas-dev). The guard must not be CBLAS_H: that would
// silently hide cblas.h's declarations.
#ifndef LLMREC_COPENBLAS_SHIM_H
#define LLMREC_COPENBLAS_SHIM_H
#include <cblas.h>

// Debian's OpenBLAS ships LAPACK without LAPACKE: declare the Fortran-ABI symbols we use.
void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info);
void spotri_(const char *uplo, const int *n, float *a, const int *lda, int *info);
void sposv_(const char *uplo, const int *n, const int *nrhs, float *a, const int *lda,
            float *b, const int *ldb, int *info);
#endif
