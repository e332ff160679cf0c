package io.rivet4j.protocol;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import io.rivet4j.protocol.GoldenVectors.Vector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Truncated, mutated and random input, fed to every decoder of every encoding: each call either
 * returns a message or throws {@link ProtocolException} — nothing else, and never hangs.
 * Seeded, so a failure reproduces; {@code -Drivet4j.fuzz.seed=…} and
 * {@code -Drivet4j.fuzz.mutations=…} run other or longer campaigns.
 */
class FuzzTest {
  private static final long SEED = Long.getLong("rivet4j.fuzz.seed", 0x5EED_2319L);
  private static final int MUTATIONS_PER_VECTOR =
      Integer.getInteger("rivet4j.fuzz.mutations", 400);
  private static final int RANDOM_INPUTS = MUTATIONS_PER_VECTOR * 8;

  static Stream<Encoding> encodings() {
    return Stream.of(Encoding.values());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void decodersOnlyEverThrowProtocolException(Encoding encoding) {
    Duration budget = Duration.ofSeconds(60L * Math.max(1, MUTATIONS_PER_VECTOR / 400));
    assertTimeoutPreemptively(budget, () -> campaign(encoding));
  }

  private static void campaign(Encoding encoding) {
    Random random = new Random(SEED + encoding.ordinal());
    ProtocolCodec codec = ProtocolCodec.of(encoding);
    for (byte[] input : inputs(encoding, random)) {
      for (MessageKind kind : MessageKind.values()) {
        decode(codec, kind, input);
      }
      decodeValue(encoding, input);
    }
  }

  private static List<byte[]> inputs(Encoding encoding, Random random) {
    List<byte[]> inputs = new ArrayList<>();
    List<byte[]> seeds = GoldenVectors.all().stream()
        .filter(vector -> vector.encoding() == encoding)
        .map(Vector::wire)
        .toList();
    for (byte[] seed : seeds) {
      for (int length = 0; length < seed.length; length++) {
        inputs.add(Arrays.copyOf(seed, length));
      }
      for (int i = 0; i < MUTATIONS_PER_VECTOR; i++) {
        inputs.add(mutate(seed, random, encoding));
      }
    }
    for (int i = 0; i < RANDOM_INPUTS; i++) {
      byte[] noise = new byte[random.nextInt(64)];
      random.nextBytes(noise);
      if (encoding == Encoding.BARE && noise.length >= 2 && random.nextBoolean()) {
        noise[0] = 4; // give the BARE decoders a valid version now and then
        noise[1] = 0;
      }
      inputs.add(noise);
    }
    return inputs;
  }

  private static byte[] mutate(byte[] seed, Random random, Encoding encoding) {
    byte[] copy = seed.clone();
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits && copy.length > 0; i++) {
      int at = random.nextInt(copy.length);
      switch (random.nextInt(5)) {
        case 0 -> copy[at] = (byte) random.nextInt(256);
        case 1 -> copy[at] ^= (byte) (1 << random.nextInt(8));
        case 2 -> copy[at] = interesting(random, encoding);
        case 3 -> { // delete a byte
          byte[] shorter = new byte[copy.length - 1];
          System.arraycopy(copy, 0, shorter, 0, at);
          System.arraycopy(copy, at + 1, shorter, at, copy.length - at - 1);
          copy = shorter;
        }
        default -> { // insert a byte
          byte[] longer = new byte[copy.length + 1];
          System.arraycopy(copy, 0, longer, 0, at);
          longer[at] = (byte) random.nextInt(256);
          System.arraycopy(copy, at, longer, at + 1, copy.length - at);
          copy = longer;
        }
      }
    }
    return copy;
  }

  /** Bytes that steer decoders into their edge cases: big lengths, tags, breaks, quotes. */
  private static byte interesting(Random random, Encoding encoding) {
    int[] bytes = switch (encoding) {
      case BARE -> new int[] {0x00, 0x01, 0x02, 0x7F, 0x80, 0xFF};
      case CBOR -> new int[] {0x1B, 0x3B, 0x5B, 0x7B, 0x9B, 0x9F, 0xBB, 0xBF, 0xC2, 0xD8, 0xD9,
          0xF7, 0xF9, 0xFB, 0xFF};
      case JSON -> new int[] {'"', '\\', '[', ']', '{', '}', ':', ',', '-', '0', 'e', '$'};
    };
    return (byte) bytes[random.nextInt(bytes.length)];
  }

  private static void decode(ProtocolCodec codec, MessageKind kind, byte[] input) {
    try {
      kind.decode(codec, input);
    } catch (ProtocolException expected) {
      // the one allowed failure
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      fail(codec + " " + kind + " threw " + e + " for " + Hex.of(input), e);
    }
  }

  private static void decodeValue(Encoding encoding, byte[] input) {
    try {
      switch (encoding) {
        case JSON -> UserValues.decodeJson(new String(input, StandardCharsets.UTF_8));
        case CBOR, BARE -> UserValues.decodeCbor(input);
      }
    } catch (ProtocolException expected) {
      // the one allowed failure
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      fail("user value threw " + e + " for " + Hex.of(input), e);
    }
  }
}
