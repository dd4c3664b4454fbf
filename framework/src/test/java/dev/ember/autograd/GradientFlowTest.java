package dev.ember.autograd;

import static dev.ember.Assertions2.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.autograd.GradientFlow.Entry;
import dev.ember.autograd.GradientFlow.Flag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GradientFlowTest {

    /** A weight of shape [out, in] with entries uniform in [-scale, scale), requiring grad. */
    private static Tensor weight(int out, int in, double scale) {
        return Ember.rand(out, in).mul(2 * scale).sub(scale).detach().requiresGrad_();
    }

    @Test
    void deepSigmoidChainVanishesInTheFirstLayers() {
        Ember.manualSeed(7);
        int depth = 20;
        Map<String, Tensor> params = new LinkedHashMap<>();
        Tensor h = Ember.randn(8, 4);
        for (int i = 0; i < depth; i++) {
            Tensor w = weight(4, 4, 1.0);
            params.put("layer" + i + ".weight", w);
            h = h.matmul(w.t()).sigmoid();          // sigmoid' <= 1/4 at every layer
        }
        h.sum().backward();
        GradientFlow flow = GradientFlow.of(params);
        List<Entry> e = flow.entries();
        assertEquals(depth, e.size());
        assertTrue(e.get(0).has(Flag.VANISHING), flow::toString);
        assertTrue(e.get(1).has(Flag.VANISHING), flow::toString);
        assertFalse(e.get(depth - 1).has(Flag.VANISHING), flow::toString);
        assertFalse(e.get(depth - 1).hasProblem(), flow::toString);
        // the norm shrinks by orders of magnitude from the last layer to the first
        assertTrue(e.get(0).gradNorm() < 1e-6 * e.get(depth - 1).gradNorm(), flow::toString);
        assertTrue(e.get(0).gradNorm() < 1e-7 && e.get(0).gradNorm() > 0, flow::toString);
        assertTrue(flow.hasProblems());
        assertEquals(e.get(0), flow.flagged().get(0));
        assertTrue(flow.toString().contains("layer0.weight"));
    }

    /** A linear chain of 8 layers whose weights are gain * I plus a little noise, after backward of sum(out). */
    private static Map<String, Tensor> linearChain(double gain) {
        Ember.manualSeed(3);
        Map<String, Tensor> params = new LinkedHashMap<>();
        Tensor h = Ember.randn(4, 8);
        for (int i = 0; i < 8; i++) {
            Tensor w = Ember.eye(8).mul(gain).add(weight(8, 8, 0.1)).detach().requiresGrad_();
            params.put("lin" + i, w);
            h = h.matmul(w.t());
        }
        h.sum().backward();
        return params;
    }

    @Test
    void scaledLinearChainExplodesAndNonFiniteGradientsAreFlagged() {
        // each layer's gradient is the product of the 7 others: gain 4 gives about 4^7 times more than gain 1
        GradientFlow healthy = GradientFlow.of(linearChain(1.0));
        assertFalse(healthy.hasProblems(), healthy::toString);
        Map<String, Tensor> params = linearChain(4.0);
        GradientFlow flow = GradientFlow.of(params);
        assertEquals(8, flow.flagged().size(), flow::toString);
        for (Entry e : flow.entries()) {
            assertEquals(Set.of(Flag.EXPLODING), e.flags(), flow::toString);
            assertTrue(e.gradNorm() > 1e3 && Double.isFinite(e.gradNorm()), flow::toString);
            assertEquals(0, e.nonFinite());
        }
        assertTrue(flow.entries().get(0).gradNorm() > 1e3 * healthy.entries().get(0).gradNorm());
        // the threshold is an option
        GradientFlow loose = GradientFlow.of(params, GradientFlow.Options.defaults().withExplodingThreshold(1e12));
        assertFalse(loose.hasProblems(), loose::toString);

        // sqrt at 0 has an infinite derivative; 0 * log(0) gives nan
        Tensor p = Ember.tensor(0.0, 1.0, 4.0).requiresGrad_();
        p.sqrt().sum().backward();
        Tensor q = Ember.tensor(0.0, 1.0).requiresGrad_();
        q.mul(q.log()).sum().backward();
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("p", p);
        bad.put("q", q);
        GradientFlow nf = GradientFlow.of(bad);
        Entry ep = nf.entry("p").orElseThrow();
        assertEquals(Set.of(Flag.EXPLODING), ep.flags());
        assertEquals(1, ep.nonFinite());
        assertEquals(Double.POSITIVE_INFINITY, ep.gradNorm());
        Entry eq = nf.entry("q").orElseThrow();
        assertTrue(eq.has(Flag.EXPLODING) && eq.nonFinite() == 1 && Double.isNaN(eq.gradNorm()), nf::toString);
        assertTrue(nf.toString().contains("EXPLODING (1 non-finite)"), nf::toString);
    }

    @Test
    void reluUnitsWithALargeNegativeBiasAreDead() {
        Ember.manualSeed(11);
        Tensor w1 = weight(6, 3, 0.5);
        Tensor b1 = Ember.tensor(0.1, -100.0, 0.1, 0.1, -100.0, 0.1).requiresGrad_();
        Tensor w2 = weight(2, 6, 0.5);
        Tensor x = Ember.randn(16, 3);
        Tensor hidden = x.matmul(w1.t()).add(b1).relu();
        hidden.matmul(w2.t()).pow(2.0).mean().backward();
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("fc1.weight", w1);
        params.put("fc1.bias", b1);
        params.put("fc2.weight", w2);
        GradientFlow flow = GradientFlow.of(params);

        Entry fc1 = flow.entry("fc1.weight").orElseThrow();
        assertEquals(Set.of(Flag.DEAD_UNITS), fc1.flags(), flow::toString);
        assertEquals(List.of(1, 4), fc1.deadUnits());
        assertEquals(6, fc1.units());
        assertFalse(flow.entry("fc1.bias").orElseThrow().has(Flag.DEAD_UNITS));   // 1-d: not checked
        assertTrue(flow.entry("fc2.weight").orElseThrow().deadUnits().isEmpty());  // rows are output units of fc2
        assertTrue(flow.toString().contains("DEAD UNITS 2/6 [1, 4]"), flow::toString);

        GradientFlow off = GradientFlow.of(params, GradientFlow.Options.defaults().withDetectDeadUnits(false));
        assertFalse(off.hasProblems(), off::toString);
        assertEquals(0, off.entries().get(0).units());
    }

    @Test
    void missingAndFrozenParameters() {
        Tensor used = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor unused = Ember.tensor(3.0).requiresGrad_();
        Tensor frozen = Ember.tensor(5.0, 6.0);
        Tensor cut = Ember.tensor(1.0).requiresGrad_();
        used.mul(frozen).add(cut.detach()).sum().backward();
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("used", used);
        params.put("unused", unused);
        params.put("frozen", frozen);
        params.put("cut", cut);
        GradientFlow flow = GradientFlow.of(params);
        assertFalse(flow.entry("used").orElseThrow().hasProblem());
        Entry u = flow.entry("unused").orElseThrow();
        assertEquals(Set.of(Flag.MISSING), u.flags());
        assertFalse(u.hasGrad());
        assertTrue(Double.isNaN(u.gradNorm()));
        assertEquals(3.0, u.weightNorm(), 1e-12);
        Entry f = flow.entry("frozen").orElseThrow();
        assertEquals(Set.of(Flag.FROZEN), f.flags());
        assertFalse(f.hasProblem());
        assertEquals(Set.of(Flag.MISSING), flow.entry("cut").orElseThrow().flags());
        assertEquals(List.of("unused", "cut"), flow.flagged().stream().map(Entry::name).toList());
        assertTrue(flow.entry("nope").isEmpty());
    }

    @Test
    void tableIsAlignedAndReadable() {
        Tensor a = Ember.ones(2, 2).requiresGrad_();
        a.setGrad(Ember.tensor(new double[][] {{3, 4}, {0, 0}}));
        Tensor bias = Ember.tensor(1.0, 1.0, 1.0).requiresGrad_();
        bias.setGrad(Ember.tensor(1e-9, -1e-9, 0.0));
        Tensor big = Ember.zeros(1, 12).requiresGrad_();
        big.setGrad(Ember.zeros(1, 12).add(2000.0));
        Tensor deadly = Ember.ones(12, 1).requiresGrad_();
        deadly.setGrad(Ember.zeros(12, 1));
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("encoder.layer.weight", a);
        params.put("b", bias);
        params.put("missing", Ember.zeros(4).requiresGrad_());
        params.put("big", big);
        params.put("deadly", deadly);
        GradientFlow flow = GradientFlow.of(params, GradientFlow.Options.defaults().withMaxIndicesShown(3));
        assertEquals(""
                + "Gradient flow: 5 parameters, 5 flagged (vanishing < 1e-07, exploding > 1e+03)\n"
                + "parameter             shape    grad norm   mean |g|    max |g|    |g|/|w|  flags\n"
                + "encoder.layer.weight  [2, 2]   5.000e+00  1.750e+00  4.000e+00  2.500e+00  DEAD UNITS 1/2 [1]\n"
                + "b                     [3]      1.414e-09  6.667e-10  1.000e-09  8.165e-10  VANISHING\n"
                + "missing               [4]              -          -          -          -  MISSING\n"
                + "big                   [1, 12]  6.928e+03  2.000e+03  2.000e+03        inf  EXPLODING\n"
                + "deadly                [12, 1]  0.000e+00  0.000e+00  0.000e+00  0.000e+00  VANISHING, DEAD UNITS 12/12 [0, 1, 2, ...]\n",
                flow.toString());

        Entry e = flow.entries().get(0);
        assertEquals(List.of(2, 2), e.shape());
        assertEquals(5.0, e.gradNorm(), 1e-12);
        assertEquals(1.75, e.meanAbs(), 1e-12);
        assertEquals(4.0, e.maxAbs(), 1e-12);
        assertEquals(2.0, e.weightNorm(), 1e-12);
        assertEquals(2.5, e.ratio(), 1e-12);
        assertEquals(12, flow.entry("deadly").orElseThrow().deadUnits().size());   // all indices, not just 3

        Map<String, Tensor> ok = new LinkedHashMap<>();
        ok.put("w", a);
        assertEquals("Gradient flow: 1 parameter, no problems (vanishing < 1e-07, exploding > 1e+03)\n"
                        + "parameter  shape   grad norm   mean |g|    max |g|    |g|/|w|  flags\n"
                        + "w          [2, 2]  5.000e+00  1.750e+00  4.000e+00  2.500e+00\n",
                GradientFlow.of(ok, GradientFlow.Options.defaults().withDetectDeadUnits(false)).toString());
    }

    @Test
    void javadocSnippetRuns() {
        Ember.manualSeed(0);
        Tensor w1 = Ember.randn(6, 3).requiresGrad_();
        Tensor b1 = Ember.tensor(0.1, -100.0, 0.1, 0.1, 0.1, 0.1).requiresGrad_();   // unit 1 will never fire
        Tensor w2 = Ember.randn(1, 6).requiresGrad_();
        Tensor x = Ember.randn(16, 3);
        x.matmul(w1.t()).add(b1).relu().matmul(w2.t()).pow(2.0).mean().backward();
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("fc1.weight", w1);
        params.put("fc1.bias", b1);
        params.put("fc2.weight", w2);
        GradientFlow flow = GradientFlow.of(params);
        assertEquals(List.of("fc1.weight"), flow.flagged().stream().map(Entry::name).toList(), flow::toString);
        assertTrue(flow.toString().contains("DEAD UNITS 1/6 [1]"), flow::toString);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrowsWith(EmberException.class, () -> GradientFlow.Options.defaults().withExplodingThreshold(1e-9),
                "explodingThreshold", "greater than vanishingThreshold");
        assertThrowsWith(EmberException.class, () -> GradientFlow.Options.defaults().withVanishingThreshold(-1),
                "vanishingThreshold", ">= 0");
        assertThrowsWith(EmberException.class, () -> GradientFlow.of(null), "namedParameters is null");
        Map<String, Tensor> withNull = new LinkedHashMap<>();
        withNull.put("w", null);
        assertThrowsWith(EmberException.class, () -> GradientFlow.of(withNull), "parameter \"w\" is null");
    }

    @Test
    void reportIsASnapshotAndEntriesAreImmutable() {
        Tensor w = Ember.ones(2).requiresGrad_();
        w.mul(3.0).sum().backward();
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("w", w);
        GradientFlow flow = GradientFlow.of(params);
        w.grad().mul_(0.0);
        assertEquals(Math.sqrt(18), flow.entries().get(0).gradNorm(), 1e-6);
        assertThrowsWith(UnsupportedOperationException.class, () -> flow.entries().get(0).flags().add(Flag.MISSING));
    }
}
