// Package dist provides probability distributions and special functions with
// the semantics of R's nmath library (R 4.2.2): every cumulative function takes
// lower (R's lower.tail) and logp (R's log.p) arguments, and the tails are
// computed directly rather than as 1-p, so small p-values keep their relative
// accuracy.
//
// Pnorm (Cody 1993), Qnorm (Wichura AS 241), Dnorm, Dbinom and Dhyper (Loader's
// saddle-point algorithm), Phyper (R's pdhyper series), Lbeta, Lchoose and
// TrigammaInverse (limma) follow the R/limma algorithms. The incomplete beta and
// gamma functions behind Pbeta, Pt, Pf, Pbinom, Pgamma and Pchisq use gonum's
// Cephes ports (mathext.RegIncBeta, GammaIncReg, GammaIncRegComp) evaluated on
// the tail that avoids cancellation; Qt and Qchisq polish Cephes inverses with
// Newton steps. The tests compare against R outputs across the body and tails
// (testdata/); see the test tolerances for the accuracy achieved.
//
// For shapes >= 1000 (e.g. Student's t with >= 2000 df) the incomplete beta
// is instead a continued fraction with a log-scale prefactor from accurate
// log x, log y and Lbeta, because Cephes loses ~1e-10 relative accuracy there;
// Pt then agrees with R to ~1e-12 (df 1e5) instead of ~1e-10. Likewise
// Pgamma and Pchisq with shape >= 100 use the power series or Legendre's
// continued fraction with Loader's saddle-point prefactor (as R's dpois_raw),
// which also keeps their log-scale tails finite.
//
// Conventions: NaN arguments give NaN; invalid parameters (negative sd, df <= 0,
// p outside [0,1]) give NaN, where R warns and returns NaN. With logp the
// result of the Cephes-based functions is the log of the probability, so it
// becomes -Inf below about 1e-308, where R's TOMS 708 would still give a finite
// log; Pnorm and Dnorm/Dbinom/Dhyper are log-accurate far into the tails.
package dist
