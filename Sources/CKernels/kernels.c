// The one hot loop Swift does not write well: Swift code is compiled for the
// baseline x86-64 (SSE2) so that `quire` runs on any machine, and the 8-bit
// vector scan then spends most of its time widening bytes. Here the AVX2
// version is chosen at run time, and plain C covers every other CPU.
#include "CKernels.h"

static void scores_portable(const int8_t *codes, const int16_t *query, const float *scales, float query_scale,
                            long dimension, long row_start, long row_end, float *out) {
    for (long r = row_start; r < row_end; r++) {
        const int8_t *row = codes + r * dimension;
        int32_t sum = 0;
        for (long j = 0; j < dimension; j++) sum += (int32_t)row[j] * (int32_t)query[j];
        out[r - row_start] = (float)sum * scales[r] * query_scale;
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2")))
static void scores_avx2(const int8_t *codes, const int16_t *query, const float *scales, float query_scale,
                        long dimension, long row_start, long row_end, float *out) {
    long wide = dimension & ~15L;
    for (long r = row_start; r < row_end; r++) {
        const int8_t *row = codes + r * dimension;
        __m256i acc = _mm256_setzero_si256();
        for (long j = 0; j < wide; j += 16) {
            __m256i a = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + j)));
            __m256i b = _mm256_loadu_si256((const __m256i *)(query + j));
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(a, b)); // pairs of 16-bit products, exact in 32 bits
        }
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
        int32_t sum = _mm_cvtsi128_si32(s);
        for (long j = wide; j < dimension; j++) sum += (int32_t)row[j] * (int32_t)query[j];
        out[r - row_start] = (float)sum * scales[r] * query_scale;
    }
}

int quire_int8_scores_uses_avx2(void) { return __builtin_cpu_supports("avx2"); }
#else
int quire_int8_scores_uses_avx2(void) { return 0; }
#endif

void quire_int8_scores(const int8_t *codes, const int16_t *query, const float *scales, float query_scale,
                       long dimension, long row_start, long row_end, float *out) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) {
        scores_avx2(codes, query, scales, query_scale, dimension, row_start, row_end, out);
        return;
    }
#endif
    scores_portable(codes, query, scales, query_scale, dimension, row_start, row_end, out);
}
