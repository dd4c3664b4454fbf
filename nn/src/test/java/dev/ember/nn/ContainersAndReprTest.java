package dev.ember.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sequential, ModuleList, Identity, Flatten, and every layer's line in the tree, compared with PyTorch's repr. */
class ContainersAndReprTest {
    static void assertMessage(EmberException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "\"" + p + "\" missing from: " + e.getMessage());
        }
    }

    @Test
    void sequentialPrintsAsPyTorch() {
        // print(nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.ReLU(inplace=True)))
        assertEquals("Sequential(\n  (0): Linear(in_features=2, out_features=16, bias=True)\n  (1): Tanh()\n"
                + "  (2): ReLU(inplace=True)\n)", Sequential.of(new Linear(2, 16), new Tanh(), new ReLU(true)).toString());
        assertEquals("Sequential()", new Sequential().toString());
        // print(nn.ModuleList([nn.Linear(1, 1), nn.Sequential(nn.Tanh())]))
        assertEquals("ModuleList(\n  (0): Linear(in_features=1, out_features=1, bias=True)\n  (1): Sequential(\n"
                + "    (0): Tanh()\n  )\n)", ModuleList.of(new Linear(1, 1), Sequential.of(new Tanh())).toString());
    }

    @Test
    void everyLayerPrintsAsPyTorch() {
        // the reprs printed by PyTorch 1.13 for the same constructor arguments
        Map<Module, String> expected = new LinkedHashMap<>();
        expected.put(new BatchNorm1d(3), "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)");
        expected.put(new BatchNorm2d(3, BatchNormOptions.DEFAULT.withMomentum(null).withAffine(false)
                .withTrackRunningStats(false)),
                "BatchNorm2d(3, eps=1e-05, momentum=None, affine=False, track_running_stats=False)");
        expected.put(new BatchNorm1d(3, BatchNormOptions.DEFAULT.withEps(0.001).withMomentum(0.01)),
                "BatchNorm1d(3, eps=0.001, momentum=0.01, affine=True, track_running_stats=True)");
        expected.put(new LayerNorm(4), "LayerNorm((4,), eps=1e-05, elementwise_affine=True)");
        expected.put(new LayerNorm(new int[] {3, 4}, 1e-5, false), "LayerNorm((3, 4), eps=1e-05, elementwise_affine=False)");
        expected.put(new Dropout(), "Dropout(p=0.5, inplace=False)");
        expected.put(new Dropout(0.2, true), "Dropout(p=0.2, inplace=True)");
        expected.put(new Dropout(0.0), "Dropout(p=0.0, inplace=False)");
        expected.put(new Dropout1d(), "Dropout1d(p=0.5, inplace=False)");
        expected.put(new Dropout2d(0.2, true), "Dropout2d(p=0.2, inplace=True)");
        expected.put(new Dropout3d(0.1), "Dropout3d(p=0.1, inplace=False)");
        expected.put(new AlphaDropout(0.25), "AlphaDropout(p=0.25, inplace=False)");
        expected.put(new Embedding(10, 3), "Embedding(10, 3)");
        expected.put(new Embedding(10, 3, 0), "Embedding(10, 3, padding_idx=0)");
        expected.put(new Embedding(10, 3, -1), "Embedding(10, 3, padding_idx=9)");
        expected.put(new LeakyReLU(), "LeakyReLU(negative_slope=0.01)");
        expected.put(new LeakyReLU(0.2, true), "LeakyReLU(negative_slope=0.2, inplace=True)");
        expected.put(new ELU(), "ELU(alpha=1.0)");
        expected.put(new ELU(0.5), "ELU(alpha=0.5)");
        expected.put(new ELU(1.0, true), "ELU(alpha=1.0, inplace=True)");
        expected.put(new GELU(), "GELU(approximate='none')");
        expected.put(new GELU(GeluApproximation.TANH), "GELU(approximate='tanh')");
        expected.put(new SiLU(), "SiLU()");
        expected.put(new SiLU(true), "SiLU(inplace=True)");
        expected.put(new Softmax(1), "Softmax(dim=1)");
        expected.put(new Softmax(-1), "Softmax(dim=-1)");
        expected.put(new LogSoftmax(1), "LogSoftmax(dim=1)");
        expected.put(new Flatten(), "Flatten(start_dim=1, end_dim=-1)");
        expected.put(new Flatten(0, 2), "Flatten(start_dim=0, end_dim=2)");
        expected.put(new Identity(), "Identity()");
        expected.put(new Sigmoid(), "Sigmoid()");
        expected.put(new Tanh(), "Tanh()");
        expected.put(new ReLU(), "ReLU()");
        expected.forEach((m, repr) -> assertEquals(repr, m.toString()));
    }

    @Test
    void sequentialNamesIndexesSlicesAndIterates() {
        Linear a = new Linear(2, 3);
        ReLU r = new ReLU();
        Linear b = new Linear(3, 1);
        Sequential s = Sequential.of(a, r, b);
        assertEquals(3, s.size());
        assertSame(a, s.get(0));
        assertSame(b, s.get(-1));
        assertSame(r, s.get(-2));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.stateDict().keySet()));
        List<Module> seen = new ArrayList<>();
        s.forEach(seen::add);
        assertEquals(List.of(a, r, b), seen);
        // print(s[1:]) keeps PyTorch's keys
        Sequential tail = s.slice(1, 3);
        assertEquals("Sequential(\n  (1): ReLU()\n  (2): Linear(in_features=3, out_features=1, bias=True)\n)",
                tail.toString());
        assertSame(b, tail.get(1));
        assertEquals(0, s.slice(5, 10).size());
        assertEquals(2, s.slice(-2, 100).size());
        Tensor x = Ember.randn(4, 2);
        Tensor expected = b.forward(a.forward(x).relu());
        assertArrayEquals(expected.toFloatArray(), s.forward(x).toFloatArray());
        assertSame(x, new Sequential().forward(x));
    }

    @Test
    void sequentialFromANamedMapAndAppends() {
        Map<String, Module> named = new LinkedHashMap<>();
        named.put("fc", new Linear(1, 1));
        named.put("act", new Tanh());
        Sequential s = new Sequential(named);
        assertEquals("Sequential(\n  (fc): Linear(in_features=1, out_features=1, bias=True)\n  (act): Tanh()\n)",
                s.toString());
        s.add(new Linear(1, 2)).add("head", new Sigmoid());
        assertEquals(List.of("fc.weight", "fc.bias", "2.weight", "2.bias"), List.copyOf(s.namedParameters().keySet()));
        assertEquals(List.of("", "fc", "act", "2", "head"), List.copyOf(s.namedModules().keySet()));
        s.eval();
        assertTrue(!s.get(3).isTraining());
    }

    @Test
    void sequentialErrors() {
        Sequential s = Sequential.of(new Linear(1, 1));
        EmberException e = assertThrows(EmberException.class, () -> s.get(3));
        assertMessage(e, "Sequential", "index 3", "out of range", "1 module", "-1 to 0");
        assertThrows(EmberException.class, () -> s.get(-2));
        e = assertThrows(EmberException.class, () -> Sequential.of(new Tanh(), null));
        assertMessage(e, "Sequential", "position 1", "null");
        e = assertThrows(EmberException.class, () -> s.add("0", new Tanh()));
        assertMessage(e, "\"0\" is already registered");
        // the layer that fails names itself and the shapes
        ShapeException se = assertThrows(ShapeException.class,
                () -> Sequential.of(new Linear(4, 3), new Linear(2, 1)).forward(Ember.zeros(5, 4)));
        assertMessage(se, "Linear(in_features=2, out_features=1, bias=True) got input of shape [5, 3]");
    }

    @Test
    void moduleListRegistersButHasNoForward() {
        ModuleList list = new ModuleList();
        for (int i = 0; i < 3; i++) {
            list.add(new Linear(2, 2));
        }
        list.extend(List.of(new Tanh()));
        assertEquals(4, list.size());
        assertEquals(6, list.parameters().size());
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"),
                List.copyOf(list.namedParameters().keySet()));
        assertTrue(list.get(-1) instanceof Tanh);
        EmberException e = assertThrows(EmberException.class, () -> list.forward(Ember.zeros(2)));
        assertMessage(e, "ModuleList has no forward", "4 modules", "Sequential");
        assertThrows(EmberException.class, () -> list.get(4));
        assertThrows(EmberException.class, () -> list.add(null));

        final class Deep extends Module {
            final ModuleList blocks = registerModule("blocks", new ModuleList());

            Deep() {
                blocks.add(new Linear(3, 3)).add(new Linear(3, 3));
            }

            @Override
            public Tensor forward(Tensor x) {
                for (Module b : blocks) {
                    x = b.forward(x).relu();
                }
                return x;
            }
        }
        Deep d = new Deep();
        assertEquals(List.of("blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias"),
                List.copyOf(d.namedParameters().keySet()));
        assertArrayEquals(new int[] {2, 3}, d.forward(Ember.randn(2, 3)).shape());
    }

    @Test
    void identityReturnsItsInputAndFlattenMergesDimensions() {
        Tensor x = Ember.randn(2, 3, 4, 5);
        assertSame(x, new Identity().forward(x));
        assertArrayEquals(new int[] {2, 60}, new Flatten().forward(x).shape());
        assertArrayEquals(new int[] {6, 4, 5}, new Flatten(0, 1).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 20}, new Flatten(-2, -1).forward(x).shape());
        assertSame(x, new Flatten(2, 2).forward(x));
        assertArrayEquals(new int[] {1}, Ember.scalar(3).flatten(0, -1).shape());
        ShapeException e = assertThrows(ShapeException.class, () -> new Flatten().forward(Ember.zeros(5)));
        assertMessage(e, "Flatten(start_dim=1, end_dim=-1) got input of shape [5]", "dimension 1 is out of range");
        e = assertThrows(ShapeException.class, () -> x.flatten(2, 1));
        assertMessage(e, "flatten", "startDim 2 comes after endDim 1");
        // a view of the same storage when the layout allows, a copy otherwise; gradients flow either way
        Tensor w = Ember.randn(2, 3, 4).requiresGrad_();
        w.transpose(0, 2).flatten(0, 1).sum().backward();
        assertArrayEquals(new int[] {2, 3, 4}, w.grad().shape());
    }
}
