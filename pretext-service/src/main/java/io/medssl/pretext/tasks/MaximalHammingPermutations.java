package io.medssl.pretext.tasks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * K permutations of the nine jigsaw cells chosen for maximal Hamming distance, as in Noroozi &
 * Favaro: start from the identity, then repeatedly add the permutation whose smallest distance to
 * those already chosen is largest (ties: the lexicographically first). Deterministic, so a class
 * index means the same permutation everywhere; computed once per K (≈0.3 s for K = 100).
 */
public final class MaximalHammingPermutations {
    private static final int N = 9;
    private static final Map<Integer, int[][]> CACHE = new ConcurrentHashMap<>();

    private MaximalHammingPermutations() {
    }

    public static int[][] of(int count) {
        if (count < 2 || count > 1000) {
            throw new IllegalArgumentException("jigsaw permutation count must be in [2, 1000], got " + count);
        }
        return CACHE.computeIfAbsent(count, MaximalHammingPermutations::compute);
    }

    private static int[][] compute(int count) {
        byte[][] all = allPermutations();
        int[] minDistance = new int[all.length];
        java.util.Arrays.fill(minDistance, Integer.MAX_VALUE);
        int[][] chosen = new int[count][];
        int next = 0; // the identity comes first in lexicographic order
        for (int k = 0; k < count; k++) {
            byte[] pick = all[next];
            chosen[k] = new int[N];
            for (int i = 0; i < N; i++) {
                chosen[k][i] = pick[i];
            }
            int best = -1;
            int bestIndex = -1;
            for (int j = 0; j < all.length; j++) {
                byte[] other = all[j];
                int d = 0;
                for (int i = 0; i < N; i++) {
                    if (other[i] != pick[i]) {
                        d++;
                    }
                }
                if (d < minDistance[j]) {
                    minDistance[j] = d;
                }
                if (minDistance[j] > best) {
                    best = minDistance[j];
                    bestIndex = j;
                }
            }
            next = bestIndex;
        }
        return chosen;
    }

    /** All 9! permutations in lexicographic order. */
    private static byte[][] allPermutations() {
        byte[][] out = new byte[362_880][];
        byte[] p = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        int n = 0;
        while (true) {
            out[n++] = p.clone();
            int i = N - 2;
            while (i >= 0 && p[i] > p[i + 1]) {
                i--;
            }
            if (i < 0) {
                return out;
            }
            int j = N - 1;
            while (p[j] < p[i]) {
                j--;
            }
            byte tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
            for (int a = i + 1, b = N - 1; a < b; a++, b--) {
                tmp = p[a];
                p[a] = p[b];
                p[b] = tmp;
            }
        }
    }
}
