package dev.ember.nn.init;

/**
 * The Q of a thin QR factorisation by Householder reflections, normalised so that R's diagonal is non-negative
 * (each column of Q multiplied by the sign of R's diagonal entry, as {@code torch.nn.init.orthogonal_} does; a zero
 * entry gives a zero column, as there). Package-private: for {@link Init#orthogonal_}.
 *
 * <pre>{@code
 * double[] q = Householder.orthonormalFactor(a, 4, 3);   // a is 4x3 row-major; q is 4x3 with orthonormal columns
 * }</pre>
 */
final class Householder {
    private Householder() {
    }

    /** Q (m x n, row-major) of the m x n matrix a (row-major, m &gt;= n), with sign(diag R) folded in. */
    static double[] orthonormalFactor(double[] a, int m, int n) {
        double[] r = a.clone();
        double[][] vs = new double[n][];
        double[] diag = new double[n];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm = Math.hypot(norm, r[i * n + k]);
            }
            if (norm == 0) {
                diag[k] = 0;
                continue;
            }
            double x0 = r[k * n + k];
            double alpha = x0 > 0 ? -norm : norm;
            double[] v = new double[m - k];
            for (int i = k; i < m; i++) {
                v[i - k] = r[i * n + k];
            }
            v[0] -= alpha;
            double vnorm2 = 0;
            for (double e : v) {
                vnorm2 += e * e;
            }
            for (int j = k; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += v[i - k] * r[i * n + j];
                }
                double f = 2 * dot / vnorm2;
                for (int i = k; i < m; i++) {
                    r[i * n + j] -= f * v[i - k];
                }
            }
            vs[k] = v;
            diag[k] = r[k * n + k];
        }
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity
        double[] q = new double[m * n];
        for (int j = 0; j < n; j++) {
            q[j * n + j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            if (v == null) {
                continue;
            }
            double vnorm2 = 0;
            for (double e : v) {
                vnorm2 += e * e;
            }
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += v[i - k] * q[i * n + j];
                }
                double f = 2 * dot / vnorm2;
                for (int i = k; i < m; i++) {
                    q[i * n + j] -= f * v[i - k];
                }
            }
        }
        for (int j = 0; j < n; j++) {
            double s = Math.signum(diag[j]);
            for (int i = 0; i < m; i++) {
                q[i * n + j] *= s;
            }
        }
        return q;
    }
}
