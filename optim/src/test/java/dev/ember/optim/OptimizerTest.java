package dev.ember.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class OptimizerTest {
    private static Tensor param(double... values) {
        return Ember.tensor(DType.FLOAT64, values).requiresGrad_();
    }

    /** loss = sum(w^2 * c): gradient 2 c w. */
    private static void backward(Tensor w, double c) {
        w.pow(2.0).mul(c).sum().backward();
    }

    private static String message(Executable e) {
        return assertThrows(EmberException.class, e).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected «" + p + "» in: " + message);
        }
    }

    // ---- updates ----------------------------------------------------------------------------------------------

    @Test
    void sgdWithMomentumFollowsTheFormula() {
        Tensor w = param(1.0, -2.0);
        SGD opt = new SGD(List.of(w), SGD.options().lr(0.1).momentum(0.9));
        backward(w, 1);                        // g = 2w = [2, -4]; buf = g; w = w - 0.1 g
        opt.step();
        assertArrayEquals(new double[] {0.8, -1.6}, w.toDoubleArray(), 1e-15);
        opt.zeroGrad();
        backward(w, 1);                        // g = [1.6, -3.2]; buf = 0.9 [2, -4] + g = [3.4, -6.8]
        opt.step();
        assertArrayEquals(new double[] {0.8 - 0.34, -1.6 + 0.68}, w.toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {3.4, -6.8}, ((Tensor) opt.state(w).get("momentum_buffer")).toDoubleArray(),
                1e-15);
    }

    @Test
    void stepUpdatesInPlaceWithoutRecording() {
        Tensor w = param(1.0, 2.0);
        Adam opt = new Adam(List.of(w), Adam.options().lr(0.1));
        backward(w, 1);
        int version = w.version();
        opt.step();
        assertTrue(w.isLeaf());
        assertTrue(w.requiresGrad());
        assertNull(w.gradFn());
        assertTrue(w.version() > version, "the parameter's storage was written in place");
        // the first Adam step moves every coordinate by lr (m / sqrt(v) = sign(g))
        assertArrayEquals(new double[] {0.9, 1.9}, w.toDoubleArray(), 1e-7);
        Tensor expAvg = (Tensor) opt.state(w).get("exp_avg");
        assertFalse(expAvg.requiresGrad());
        assertEquals(1L, opt.state(w).get("step"));
    }

    @Test
    void adamWDecaysTheWeightsEvenWithAZeroGradient() {
        Tensor w = param(1.0, -3.0);
        AdamW opt = new AdamW(List.of(w), AdamW.options().lr(0.1).weightDecay(0.5));
        w.setGrad(Ember.zeros(DType.FLOAT64, 2));
        opt.step();
        assertArrayEquals(new double[] {0.95, -2.85}, w.toDoubleArray(), 1e-15);
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Tensor a = param(1.0);
        Tensor b = param(2.0);
        RMSprop opt = new RMSprop(List.of(a, b), RMSprop.options().lr(0.1).momentum(0.5));
        backward(a, 1);
        opt.step();
        assertEquals(2.0, b.item());
        assertTrue(opt.state(b).isEmpty());
        assertEquals(List.of("step", "square_avg", "momentum_buffer"), List.copyOf(opt.state(a).keySet()));
    }

    @Test
    void adagradCreatesItsStateWhenTheGroupIsAdded() {
        Tensor w = param(1.0, 2.0);
        Adagrad opt = new Adagrad(List.of(w), Adagrad.options().initialAccumulatorValue(0.25));
        assertEquals(0L, opt.state(w).get("step"));
        assertArrayEquals(new double[] {0.25, 0.25}, ((Tensor) opt.state(w).get("sum")).toDoubleArray());
        Tensor v = param(3.0);
        opt.addParamGroup(ParamGroup.of(List.of(v), Adagrad.options().initialAccumulatorValue(1.0)));
        assertArrayEquals(new double[] {1.0}, ((Tensor) opt.state(v).get("sum")).toDoubleArray());
    }

    @Test
    void zeroGradZeroesInPlaceOrDropsTheGradient() {
        Tensor w = param(1.0, 2.0);
        SGD opt = new SGD(List.of(w), 0.1);
        backward(w, 1);
        Tensor g = w.grad();
        opt.zeroGrad();
        assertSame(g, w.grad());
        assertArrayEquals(new double[] {0, 0}, g.toDoubleArray());
        backward(w, 1);
        opt.zeroGrad(true);
        assertNull(w.grad());
    }

    @Test
    void stepWithAClosureEvaluatesItWithGradEnabled() {
        Tensor w = param(1.0);
        SGD opt = new SGD(List.of(w), 0.25);
        Tensor loss;
        try (var g = Ember.noGrad()) {
            loss = opt.step(() -> {
                opt.zeroGrad();
                Tensor l = w.pow(2.0).sum();
                l.backward();
                return l;
            });
        }
        assertEquals(1.0, loss.item());
        assertEquals(0.5, w.item(), 1e-15);
    }

    // ---- groups and options -----------------------------------------------------------------------------------

    @Test
    void groupsTakeTheDefaultsForWhatTheyDoNotSet() {
        Tensor a = param(1.0);
        Tensor b = param(1.0);
        SGD opt = new SGD(List.of(ParamGroup.of(a), ParamGroup.of(List.of(b), SGD.options().lr(0.5).nesterov(true))),
                SGD.options().lr(0.1).momentum(0.9));
        ParamGroup g0 = opt.paramGroups().get(0);
        ParamGroup g1 = opt.paramGroups().get(1);
        assertEquals(0.1, g0.lr());
        assertEquals(0.5, g1.lr());
        assertEquals(0.9, g1.getDouble("momentum"));
        assertTrue(g1.getBoolean("nesterov"));
        assertEquals(List.of("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"),
                List.copyOf(g0.options().keySet()));
        assertEquals(List.of(a, b), opt.params());
        assertThrows(UnsupportedOperationException.class, () -> opt.paramGroups().clear());
        Tensor c = param(2.0);
        opt.addParamGroup(ParamGroup.of(c));
        assertEquals(3, opt.paramGroups().size());
        assertEquals(0.1, opt.paramGroups().get(2).lr());
    }

    @Test
    void defaultsArePyTorchs() {
        Tensor w = param(1.0);
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0,
                "amsgrad", false, "maximize", false), new Adam(List.of(w)).defaults());
        assertEquals(1e-2, new AdamW(List.of(w)).defaults().get("weight_decay"));
        assertEquals(0.99, new RMSprop(List.of(w)).defaults().get("alpha"));
        assertEquals(1e-10, new Adagrad(List.of(w)).defaults().get("eps"));
        assertFalse(new SGD(List.of(w), 0.1).defaults().containsKey("nothing"));
    }

    @Test
    void toStringIsPyTorchsRepr() {
        SGD opt = new SGD(List.of(param(1.0)), SGD.options().lr(0.01).momentum(0.9));
        assertEquals("SGD (\nParameter Group 0\n    dampening: 0.0\n    lr: 0.01\n    maximize: false\n"
                + "    momentum: 0.9\n    nesterov: false\n    weight_decay: 0.0\n)", opt.toString());
        assertTrue(new Adam(List.of(param(1.0))).toString().contains("eps: 1e-08"));
    }

    // ---- bad options ------------------------------------------------------------------------------------------

    @Test
    void badOptionsAreRefusedWithTheirGroupAndRule() {
        Tensor w = param(1.0);
        assertContains(message(() -> new SGD(List.of(w), SGD.options().lr(-0.1))),
                "SGD", "invalid lr -0.1", ">= 0");
        assertContains(message(() -> new SGD(List.of(w), SGD.options())),
                "SGD parameter group 0", "required option 'lr'", "SGD.options().lr(");
        assertContains(message(() -> new SGD(List.of(w), SGD.options().lr(Double.NaN))), "lr NaN", "finite");
        assertContains(message(() -> new SGD(List.of(w), SGD.options().lr(0.1).momentum(-1))), "invalid momentum");
        assertContains(message(() -> new SGD(List.of(w), SGD.options().lr(0.1).nesterov(true))),
                "Nesterov momentum requires a momentum > 0 and zero dampening");
        assertContains(message(() -> new SGD(List.of(w), SGD.options().lr(0.1).weightDecay(-1e-4))),
                "invalid weight_decay -0.0001");
        assertContains(message(() -> new Adam(List.of(w), Adam.options().betas(0.9, 1.0))), "invalid beta2 1.0",
                "in [0, 1)");
        assertContains(message(() -> new AdamW(List.of(w), AdamW.options().eps(-1e-8))), "AdamW", "invalid eps");
        assertContains(message(() -> new RMSprop(List.of(w), RMSprop.options().alpha(-0.5))), "invalid alpha");
        assertContains(message(() -> new Adagrad(List.of(w), Adagrad.options().lrDecay(-1))), "invalid lr_decay");
        assertContains(message(() -> new Adagrad(List.of(w), Adagrad.options().initialAccumulatorValue(-1))),
                "invalid initial_accumulator_value");
        // per-group overrides are checked too, and named by their group
        assertContains(message(() -> new SGD(List.of(ParamGroup.of(w), ParamGroup.of(List.of(param(2.0)),
                SGD.options().lr(-1))), SGD.options().lr(0.1))), "SGD parameter group 1", "invalid lr -1.0");
        // an Adam option in an SGD group
        assertContains(message(() -> new SGD(List.of(ParamGroup.of(List.of(w), Adam.options().betas(0.5, 0.9))),
                SGD.options().lr(0.1))), "unknown option 'beta1'", "SGD's options are [lr, momentum");
    }

    @Test
    void settingAnOptionLaterIsCheckedToo() {
        SGD opt = new SGD(List.of(param(1.0)), SGD.options().lr(0.1));
        ParamGroup g = opt.paramGroups().get(0);
        assertContains(message(() -> g.setLr(-1)), "SGD parameter group 0", "invalid lr -1.0");
        assertContains(message(() -> g.set("momentun", 0.9)), "unknown option 'momentun'");
        assertContains(message(() -> g.set("nesterov", 1.0)), "'nesterov' must be a boolean");
        assertContains(message(() -> g.getDouble("beta1")), "has no option 'beta1'");
        assertEquals(0.1, g.lr());
        g.setLr(0.05).set("initial_lr", 0.1);
        assertEquals(0.05, g.lr());
        assertEquals(0.1, g.getDouble("initial_lr"));
    }

    // ---- bad parameters ---------------------------------------------------------------------------------------

    @Test
    void nonLeafParametersAreRefusedWithTheirIndex() {
        Tensor w = param(1.0, 2.0);
        Tensor b = param(3.0);
        Tensor doubled = w.mul(2.0);
        String m = message(() -> new SGD(List.of(w, b, doubled), 0.1));
        assertContains(m, "SGD: parameter 2 of parameter group 0 (state-dict index 2)", "shape [2]",
                "not a leaf tensor", "MulBackward", "detach().requiresGrad_()");
    }

    @Test
    void duplicateParametersAreRefusedWithBothPlaces() {
        Tensor w = param(1.0, 2.0);
        Tensor b = param(3.0);
        assertContains(message(() -> new Adam(List.of(w, b, w), Adam.options())),
                "parameter 2 of parameter group 0 (state-dict index 2)", "same tensor as parameter 0 of parameter "
                        + "group 0", "only once");
        Adam opt = new Adam(List.of(w), Adam.options());
        String m = message(() -> opt.addParamGroup(ParamGroup.of(b, w)));
        assertContains(m, "parameter 1 of parameter group 1 (state-dict index 2)",
                "same tensor as parameter 0 of parameter group 0");
        assertEquals(1, opt.paramGroups().size(), "a refused group leaves the optimizer as it was");
    }

    @Test
    void emptyNullAndReusedGroupsAreRefused() {
        assertContains(message(() -> new SGD(List.<Tensor>of(), 0.1)), "empty parameter list");
        assertContains(message(() -> new SGD((Iterable<Tensor>) null, 0.1)), "parameters are null");
        assertContains(message(() -> new SGD(java.util.Arrays.asList(param(1.0), null), 0.1)),
                "parameter 1 of parameter group 0", "is null");
        ParamGroup g = ParamGroup.of(param(1.0));
        assertThrows(EmberException.class, () -> new SGD(List.of(g, ParamGroup.of(List.of(param(2.0)),
                SGD.options().lr(-1))), SGD.options().lr(0.1)));
        new SGD(List.of(g), SGD.options().lr(0.1));     // a failed constructor let go of the group
        assertContains(message(() -> new SGD(List.of(g), SGD.options().lr(0.1))), "already belongs to another "
                + "optimizer");
    }

    // ---- state dicts ------------------------------------------------------------------------------------------

    private static Adam trainedAdam(Tensor a, Tensor b, int steps) {
        Adam opt = new Adam(List.of(ParamGroup.of(a), ParamGroup.of(List.of(b), Adam.options().amsgrad(true))),
                Adam.options().lr(0.1));
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            a.pow(2.0).sum().add(b.pow(2.0).mul(a.sum()).sum()).backward();
            opt.step();
        }
        return opt;
    }

    @Test
    void stateDictLayout() {
        Tensor a = param(1.0, 2.0);
        Tensor b = param(0.5);
        Map<String, Object> sd = trainedAdam(a, b, 2).stateDict();
        assertEquals(List.of("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.1.step",
                "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq",
                "param_groups.0.params", "param_groups.0.lr", "param_groups.0.beta1", "param_groups.0.beta2",
                "param_groups.0.eps", "param_groups.0.weight_decay", "param_groups.0.amsgrad",
                "param_groups.0.maximize",
                "param_groups.1.params", "param_groups.1.lr", "param_groups.1.beta1", "param_groups.1.beta2",
                "param_groups.1.eps", "param_groups.1.weight_decay", "param_groups.1.amsgrad",
                "param_groups.1.maximize"), List.copyOf(sd.keySet()));
        assertEquals(2L, sd.get("state.0.step"));
        assertArrayEquals(new int[] {2}, ((Tensor) sd.get("state.0.exp_avg")).shape());
        assertEquals(DType.INT64, ((Tensor) sd.get("param_groups.1.params")).dtype());
        assertArrayEquals(new long[] {1}, ((Tensor) sd.get("param_groups.1.params")).toLongArray());
        assertEquals(true, sd.get("param_groups.1.amsgrad"));
        assertEquals(0.1, sd.get("param_groups.0.lr"));
        for (Object v : sd.values()) {
            assertTrue(v instanceof Tensor || v instanceof Long || v instanceof Double || v instanceof Boolean, "" + v);
        }
    }

    @Test
    void aLoadedStateDictContinuesTheTrajectoryExactly() {
        Tensor a = param(1.0, 2.0);
        Tensor b = param(0.5);
        Adam full = trainedAdam(a, b, 5);
        Tensor a2 = param(1.0, 2.0);
        Tensor b2 = param(0.5);
        Adam half = trainedAdam(a2, b2, 3);
        Map<String, Object> saved = new LinkedHashMap<>(half.stateDict());
        Tensor a3 = param(a2.toDoubleArray());
        Tensor b3 = param(b2.toDoubleArray());
        Adam resumed = new Adam(List.of(ParamGroup.of(a3), ParamGroup.of(b3)), Adam.options());
        resumed.loadStateDict(saved);
        assertTrue(resumed.paramGroups().get(1).getBoolean("amsgrad"), "options come from the state dict");
        assertNotSame(saved.get("state.0.exp_avg"), resumed.state(a3).get("exp_avg"), "state is copied");
        for (int i = 0; i < 2; i++) {
            resumed.zeroGrad();
            a3.pow(2.0).sum().add(b3.pow(2.0).mul(a3.sum()).sum()).backward();
            resumed.step();
        }
        assertArrayEquals(a.toDoubleArray(), a3.toDoubleArray(), 0.0);
        assertArrayEquals(b.toDoubleArray(), b3.toDoubleArray(), 0.0);
    }

    @Test
    void aStateDictOfFloat64StateIsCastToFloat32Parameters() {
        Tensor a = param(1.0, 2.0);
        SGD opt = new SGD(List.of(a), SGD.options().lr(0.1).momentum(0.9));
        backward(a, 1);
        opt.step();
        Tensor f = Ember.tensor(1.0, 2.0).requiresGrad_();
        SGD other = new SGD(List.of(f), SGD.options().lr(0.1).momentum(0.9));
        other.loadStateDict(opt.stateDict());
        assertEquals(DType.FLOAT32, ((Tensor) other.state(f).get("momentum_buffer")).dtype());
    }

    @Test
    void aMismatchedStateDictListsEveryProblemAndLoadsNothing() {
        Tensor a = param(1.0, 2.0);
        Tensor b = param(0.5);
        Map<String, Object> adamState = trainedAdam(a, b, 1).stateDict();

        // a different grouping
        Adam oneGroup = new Adam(List.of(param(1.0, 2.0), param(0.5)), Adam.options());
        assertContains(message(() -> oneGroup.loadStateDict(adamState)), "Adam.loadStateDict",
                "has 2 parameter group(s) [0, 1] but this optimizer has 1",
                "parameter group 0 has 1 parameter(s) in the state dict but 2 in this optimizer", "Nothing was loaded");

        // different shapes
        Tensor c = param(1.0, 2.0, 3.0);
        Tensor d = param(0.5);
        Adam shapes = new Adam(List.of(ParamGroup.of(c), ParamGroup.of(d)), Adam.options().lr(0.2));
        String m = message(() -> shapes.loadStateDict(adamState));
        assertContains(m, "state of parameter 0: 'exp_avg' has shape [2] but the parameter has shape [3]",
                "state of parameter 0: 'exp_avg_sq' has shape [2]");
        assertTrue(shapes.state(c).isEmpty(), "nothing was loaded");
        assertEquals(0.2, shapes.paramGroups().get(0).lr(), "nothing was loaded");

        // another optimizer's state
        SGD sgd = new SGD(List.of(ParamGroup.of(param(1.0, 2.0)), ParamGroup.of(param(0.5))), SGD.options().lr(0.1));
        assertContains(message(() -> sgd.loadStateDict(adamState)),
                "parameter group 0 lacks option(s) [momentum, dampening, nesterov]",
                "unknown option 'beta1'", "unknown state 'exp_avg'");

        // damaged entries
        Map<String, Object> damaged = new LinkedHashMap<>(adamState);
        damaged.put("param_groups.0.lr", -1.0);
        damaged.remove("state.1.max_exp_avg_sq");
        damaged.put("state.7.exp_avg", Ember.zeros(DType.FLOAT64, 2));
        damaged.put("extra", 1.0);
        damaged.put("state.0.step", 1.5);
        Adam same = new Adam(List.of(ParamGroup.of(param(1.0, 2.0)), ParamGroup.of(param(0.5))), Adam.options());
        assertContains(message(() -> same.loadStateDict(damaged)), "parameter group 0: invalid lr -1.0",
                "state of parameter 1 lacks [max_exp_avg_sq]", "state of parameter 7: no parameter has this index",
                "unexpected key 'extra'", "'step' must be a whole number");
    }

    @Test
    void stateDictSurvivesASafetensorsFileThroughStateTree() throws Exception {
        Tensor a = param(1.0, 2.0);
        Tensor b = param(0.5);
        Adam opt = trainedAdam(a, b, 2);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ember-optim");
        java.nio.file.Path file = dir.resolve("adam.optim.safetensors");
        try {
            dev.ember.io.StateTree.save(opt.stateDict(), file);
            Map<String, Object> back = dev.ember.io.StateTree.load(file);
            Tensor a2 = param(a.toDoubleArray());
            Tensor b2 = param(b.toDoubleArray());
            Adam resumed = new Adam(List.of(ParamGroup.of(a2), ParamGroup.of(b2)), Adam.options());
            resumed.loadStateDict(back);
            for (Adam o : List.of(opt, resumed)) {
                Tensor x = o == opt ? a : a2;
                Tensor y = o == opt ? b : b2;
                o.zeroGrad();
                x.pow(2.0).sum().add(y.pow(2.0).mul(x.sum()).sum()).backward();
                o.step();
            }
            assertArrayEquals(a.toDoubleArray(), a2.toDoubleArray(), 0.0);
            assertArrayEquals(b.toDoubleArray(), b2.toDoubleArray(), 0.0);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    @Test
    void everyOptimizerReducesAQuadratic() {
        List<java.util.function.Function<List<Tensor>, Optimizer>> makers = new ArrayList<>(List.of(
                ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.5).nesterov(true)),
                ps -> new Adam(ps, Adam.options().lr(0.1)),
                ps -> new AdamW(ps, AdamW.options().lr(0.1).amsgrad(true)),
                ps -> new RMSprop(ps, RMSprop.options().lr(0.05).centered(true)),
                ps -> new Adagrad(ps, Adagrad.options().lr(0.5))));
        for (var make : makers) {
            Tensor w = param(3.0, -2.0);
            Optimizer opt = make.apply(List.of(w));
            double first = 0;
            double last = 0;
            for (int i = 0; i < 30; i++) {
                opt.zeroGrad();
                Tensor loss = w.sub(1.0).pow(2.0).sum();
                last = loss.item();
                first = i == 0 ? last : first;
                loss.backward();
                opt.step();
            }
            assertTrue(last < first / 4, opt.name() + ": loss " + first + " -> " + last);
        }
    }
}
