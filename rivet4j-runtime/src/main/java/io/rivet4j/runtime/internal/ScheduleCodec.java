package io.rivet4j.runtime.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stores a schedule as a KV entry: key {@code 0x02 ‖ id}, value CBOR {@code {at, action, args}}. */
final class ScheduleCodec {
  private ScheduleCodec() {}

  static byte[] key(String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[idBytes.length + 1];
    key[0] = ActorCell.SCHEDULE_PREFIX[0];
    System.arraycopy(idBytes, 0, key, 1, idBytes.length);
    return key;
  }

  static byte[] encode(ActorCell.Scheduled s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("at", s.at());
    m.put("action", s.action());
    m.put("args", s.args());
    return Values.toCbor(m);
  }

  @SuppressWarnings("unchecked")
  static ActorCell.Scheduled decode(byte[] bytes) {
    Map<String, Object> m = (Map<String, Object>) Values.fromCbor(bytes);
    Object args = m.get("args");
    return new ActorCell.Scheduled((String) m.get("id"), ((Number) m.get("at")).longValue(),
        (String) m.get("action"), args == null ? List.of() : new ArrayList<>((List<Object>) args));
  }
}
