package dev.ember.io;

import dev.ember.Ember;
import dev.ember.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run in a child JVM by {@link SafeTensorsTest}: starts saving a 400 KB file over args[0] and kills the JVM
 * (Runtime.halt, as a power cut or kill -9 would: no finally blocks, no shutdown hooks) once args[1] bytes are
 * written.
 */
public final class CrashDuringSave {
    private CrashDuringSave() {
    }

    public static void main(String[] args) {
        long haltAfter = Long.parseLong(args[1]);
        Map<String, Tensor> tensors = Map.of("big", Ember.ones(100, 1000));
        SafeTensors.save(tensors, Path.of(args[0]), Map.of(), ch -> new WritableByteChannel() {
            long written;

            @Override
            public int write(ByteBuffer src) throws IOException {
                int n = ch.write(src);
                written += n;
                if (written >= haltAfter) {
                    Runtime.getRuntime().halt(3);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return ch.isOpen();
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        });
        System.exit(0);
    }
}
