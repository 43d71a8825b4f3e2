import { DeleteScheduleCommand, GetScheduleCommand, type SchedulerClient } from "@aws-sdk/client-scheduler";
import { listTimerNames } from "../lib/aws/schedules.js";
import { parseAtExpression } from "../lib/core/time.js";

export type Target = (input: unknown) => Promise<unknown>;

export interface Fired {
  schedule: string;
  at: string;
  result?: unknown;
  error?: string;
}

interface Due {
  name: string;
  at: Date;
  targetArn: string;
  input: unknown;
  deleteAfter: boolean;
}

/**
 * EventBridge Scheduler's part in local mode (moto stores schedules but never fires them): finds
 * one-time schedules whose `at()` has come on the virtual clock, invokes their target with their
 * input, and honours ActionAfterCompletion DELETE once a delivery succeeded.
 */
export class LocalScheduler {
  constructor(
    private readonly scheduler: SchedulerClient,
    private readonly group: string,
    private readonly targets: Map<string, Target>,
  ) {}

  /** Every enabled one-time schedule in the group, earliest first. */
  async pending(): Promise<Due[]> {
    const names = await listTimerNames(this.scheduler, this.group);
    const schedules = await Promise.all(
      names.map((name) => this.scheduler.send(new GetScheduleCommand({ Name: name, GroupName: this.group })).catch(() => undefined)),
    );
    return schedules
      .flatMap((s) => {
        const at = parseAtExpression(s?.ScheduleExpression);
        if (!s?.Name || !at || s.State === "DISABLED" || !s.Target?.Arn) return [];
        return [
          {
            name: s.Name,
            at,
            targetArn: s.Target.Arn,
            input: JSON.parse(s.Target.Input ?? "{}"),
            deleteAfter: s.ActionAfterCompletion === "DELETE",
          },
        ];
      })
      .sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  /** Fires every schedule due at `now`; a target's failure is reported, never thrown. */
  async fireDue(now: Date, due?: Due[]): Promise<Fired[]> {
    const ready = (due ?? (await this.pending())).filter((schedule) => schedule.at <= now);
    const fired: Fired[] = [];
    for (const schedule of ready) {
      const target = this.targets.get(schedule.targetArn);
      const record: Fired = { schedule: schedule.name, at: schedule.at.toISOString() };
      try {
        if (!target) throw new Error(`no local function for ${schedule.targetArn}`);
        record.result = await target(schedule.input);
      } catch (error) {
        record.error = (error as Error).message;
      }
      // Like Scheduler, a failed delivery is retried (here: on the next tick) before deletion.
      if (schedule.deleteAfter && !record.error) {
        await this.scheduler.send(new DeleteScheduleCommand({ Name: schedule.name, GroupName: this.group })).catch(() => undefined);
      }
      fired.push(record);
    }
    return fired;
  }
}
