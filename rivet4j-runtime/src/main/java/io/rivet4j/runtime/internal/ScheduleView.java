package io.rivet4j.runtime.internal;

import io.rivet4j.api.Schedule;
import io.rivet4j.api.ScheduledEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code c.schedule()}: one-shot schedules kept by the actor's cell. */
final class ScheduleView implements Schedule {
  private final ActorCell cell;

  ScheduleView(ActorCell cell) {
    this.cell = cell;
  }

  @Override
  public String after(Duration delay, String action, Object... args) {
    if (delay.isNegative()) {
      delay = Duration.ZERO;
    }
    return at(Instant.ofEpochMilli(cell.node.clock.millis() + delay.toMillis()), action, args);
  }

  @Override
  public String at(Instant at, String action, Object... args) {
    if (action == null || action.isEmpty()) {
      throw new io.rivet4j.api.RivetError("schedule", "invalid_name",
          "a schedule needs the name of an action to run");
    }
    List<Object> list = Values.list(args);
    for (int i = 0; i < list.size(); i++) {
      try {
        list.set(i, Values.fromCbor(Values.toCbor(list.get(i))));
      } catch (IllegalArgumentException e) {
        throw Values.validation("argument " + (i + 1) + " of scheduled action '" + action
            + "' is not serializable: " + e.getMessage());
      }
    }
    return cell.addSchedule(at.toEpochMilli(), action, list);
  }

  @Override
  public boolean cancel(String id) {
    return cell.cancelSchedule(id);
  }

  @Override
  public Optional<ScheduledEvent> get(String id) {
    return list().stream().filter(e -> e.id().equals(id)).findFirst();
  }

  @Override
  public List<ScheduledEvent> list() {
    List<ScheduledEvent> out = new ArrayList<>();
    for (ActorCell.Scheduled s : cell.scheduleList()) {
      out.add(new ScheduledEvent(s.id(), Instant.ofEpochMilli(s.at()), s.action(), s.args()));
    }
    return out;
  }
}
