/**
 * Scalar math the CPU kernels need beyond Math, in double precision: erf, erfc, lgamma,
 * polygamma, the Bessel functions I0 and I1, round-half-even.
 */

/** Error function, accurate to ~1e-15 (series near 0, continued fraction in the tails). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)).
    let term = ax, sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  if (ax > 6) return x < 0 ? -1 : 1;
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))), evaluated bottom-up.
  let f = ax;
  for (let n = 60; n >= 1; n--) f = ax + (n / 2) / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x < 0 ? erfc - 1 : 1 - erfc;
}

/** Rounds half to even, as torch.round does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Complementary error function to double precision. Above 0.5, 1 - erf(x) would lose the
 * result to cancellation (erfc(5) ≈ 1.5e-12), so the tail comes from the continued fraction.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 2.5) return 1 - erf(x);
  let f = x;
  for (let n = 60; n >= 1; n--) f = x + (n / 2) / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** (-1)^k ζ(k) / k for k = 2, 3, ...: the Taylor coefficients of lgamma(1 + z) after -γz. */
const LGAMMA1P = [
  0.8224670334241132,
  -0.40068563438653143,
  0.27058080842778454,
  -0.20738555102867398,
  0.1695571769974082,
  -0.1440498967688461,
  0.12550966952474304,
  -0.11133426586956469,
  0.1000994575127818,
  -0.09095401714582904,
  0.083353840546109,
  -0.0769325164113522,
  0.07143294629536133,
  -0.06666870588242046,
  0.06250095514121304,
  -0.058823978658684585,
  0.055555767627403614,
  -0.05263167937961666,
  0.05000004769810169,
  -0.047619070330142226,
  0.04545455629320467,
  -0.04347826605304026,
  0.04166666915034121,
  -0.04000000119214014,
  0.03846153903467518,
  -0.037037037312989324,
];
const EULER_GAMMA = 0.5772156649015329;

/** lgamma(1 + z) for |z| <= 0.2 by its Taylor series: relative precision near the zero at 1. */
function lgamma1p(z: number): number {
  let s = 0;
  for (let k = LGAMMA1P.length - 1; k >= 0; k--) s = (s + LGAMMA1P[k]) * z;
  return (s - EULER_GAMMA) * z;
}

/** sin(πx) with the argument reduced first, so it is exactly 0 at integers. */
function sinPi(x: number): number {
  const r = x - 2 * Math.round(x / 2);
  return Math.sin(Math.PI * r);
}

/**
 * log|Γ(x)|, like C's lgamma (used by torch.lgamma): +inf at 0, the negative integers and
 * ±inf. Series near the zeros at 1 and 2, Stirling above 10 (smaller x shifted up by the
 * recurrence), reflection below 0.5.
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x)) return Infinity;
  if (x < 0.5) {
    if (x === Math.floor(x)) return Infinity;
    return Math.log(Math.PI / Math.abs(sinPi(x))) - lgamma(1 - x);
  }
  // +0 at the zeros, as C's lgamma (the series would give -0).
  if (x === 1 || x === 2) return 0;
  if (Math.abs(x - 1) <= 0.2) return lgamma1p(x - 1);
  if (Math.abs(x - 2) <= 0.2) return lgamma1p(x - 2) + Math.log1p(x - 2);
  let shift = 0;
  let p = 1;
  while (x < 10) {
    p *= x;
    x += 1;
    shift = 1;
  }
  const z = 1 / (x * x);
  // Bernoulli terms B_2k / (2k (2k - 1) x^(2k - 1)), k = 1..7.
  const series = (1 / 12 +
    z * (-1 / 360 +
        z * (1 / 1260 + z * (-1 / 1680 + z * (1 / 1188 + z * (-691 / 360360 + z / 156)))))) / x;
  const r = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series;
  return shift ? r - Math.log(p) : r;
}

/** ψ(x), PyTorch's calc_digamma (so float64 results agree to the last bits). */
function digamma(x: number): number {
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (x < 0) {
    if (x === Math.trunc(x)) return NaN;
    // tan(π r) of the fractional part r is more accurate than tan(πx).
    const r = x - Math.trunc(x);
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * r);
  }
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  if (x === 10) return result + 2.25175258906672110764;
  let y = 0;
  if (x < 1e17) {
    const z = 1 / (x * x);
    y = z * (8.33333333333333333333e-2 +
      z * (-8.33333333333333333333e-3 +
          z * (3.96825396825396825397e-3 +
              z * (-4.16666666666666666667e-3 +
                  z * (7.57575757575757575758e-3 + z * (-2.10927960927960927961e-2 +
                          z * 8.33333333333333333333e-2))))));
  }
  return result + Math.log(x) - 0.5 / x - y;
}

/** ψ'(x), PyTorch's calc_trigamma. */
function trigamma(x: number): number {
  let sign = 1, result = 0;
  if (x < 0.5) {
    sign = -1;
    const s = Math.sin(Math.PI * x);
    result -= (Math.PI * Math.PI) / (s * s);
    x = 1 - x;
  }
  for (let i = 0; i < 6; i++) {
    result += 1 / (x * x);
    x += 1;
  }
  const ixx = 1 / (x * x);
  result += (1 + 1 / (2 * x) + ixx * (1 / 6 - ixx * (1 / 30 - ixx * (1 / 42)))) / x;
  return sign * result;
}

const ZETA_A = [
  12.0,
  -720.0,
  30240.0,
  -1209600.0,
  47900160.0,
  -1.8924375803183791606e9,
  7.47242496e10,
  -2.950130727918164224e12,
  1.1646782814350067249e14,
  -4.5979787224074726105e15,
  1.8152105401943546773e17,
  -7.1661652561756670113e18,
];

/** Hurwitz ζ(s, q), Cephes' algorithm as in PyTorch (direct sum, then Euler–Maclaurin). */
function zeta(s: number, q: number): number {
  const MACHEP = 1.11022302462515654042e-16;
  if (s === 1) return Infinity;
  if (s < 1) return NaN;
  if (q <= 0) {
    if (q === Math.floor(q)) return Infinity;
    if (s !== Math.floor(s)) return NaN;
  }
  let sum = Math.pow(q, -s);
  let a = q, b = 0, i = 0;
  while (i < 9 || a <= 9) {
    i += 1;
    a += 1;
    b = Math.pow(a, -s);
    sum += b;
    if (-MACHEP * sum < b && b < MACHEP * sum) return sum;
  }
  const w = a;
  sum += (b * w) / (s - 1);
  sum -= 0.5 * b;
  let fa = 1, k = 0;
  for (let j = 0; j < 12; j++) {
    fa *= s + k;
    b /= w;
    const t = (fa * b) / ZETA_A[j];
    sum += t;
    if (Math.abs(t / sum) < MACHEP) return sum;
    k += 1;
    fa *= s + k;
    b /= w;
    k += 1;
  }
  return sum;
}

/**
 * The n-th derivative of ψ (n = 0: digamma), as PyTorch computes it: its digamma and trigamma
 * for n = 0, 1 and (-1)^(n+1) n! ζ(n + 1, x) above.
 */
export function polygamma(x: number, n: number): number {
  if (n === 0) return digamma(x);
  if (n === 1) return trigamma(x);
  let fact = 1;
  for (let k = 2; k <= n; k++) fact *= k;
  return (n % 2 ? 1 : -1) * fact * zeta(n + 1, x);
}

/**
 * Modified Bessel function of the first kind, orders 0 and 1 (nu). Power series (all terms
 * positive, so no cancellation) up to 30, the Hankel asymptotic series above. ±inf give NaN,
 * as PyTorch's Chebyshev form does.
 */
export function besselI(nu: 0 | 1, x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const ax = Math.abs(x);
  let r: number;
  if (ax <= 30) {
    const q = ax * ax / 4;
    let term = nu ? ax / 2 : 1, sum = term;
    for (let k = 1; k < 500; k++) {
      term *= q / (k * (k + nu));
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    r = sum;
  } else {
    const mu = 4 * nu * nu;
    let term = 1, sum = 1;
    for (let k = 1; k < 60; k++) {
      const next = -term * (mu - (2 * k - 1) ** 2) / (k * 8 * ax);
      if (Math.abs(next) >= Math.abs(term)) break;
      term = next;
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
    }
    // e^(x/2) twice: e^x alone would overflow where the result is still finite.
    const h = Math.exp(ax / 2);
    r = h * (h / Math.sqrt(2 * Math.PI * ax)) * sum;
  }
  return nu && x < 0 ? -r : r;
}
