/**
 * FortiCASB routes Fortinet's FortiCASB connector calls that forticasb-get-alert-list.txt does not
 * describe. The connector
 * (connector-fortinet-forticasb, forticasb_api.py) lists a unit's cloud services with
 * `POST /api/v1/dashboard/usage` (headers companyId, buId, timeZone; body {startTime, endTime} in
 * epoch ms) and reads the names as `data[].name` ("Get a list of services for a business Unit").
 * No public document or recording shows the rest of the answer: the stub gives each service of the
 * unit with the number of its alerts in the window (stub-only; docs/decisions).
 */
import { BadRequest, isObject, json } from '../core/http.ts';
import type { ExtraRoute } from '../core/types.ts';
import type { CasbState } from './index.ts';
import { asLong, unitOf, unknownUnit } from './tenant.ts';

export const dashboardRoutes: Record<string, ExtraRoute<CasbState>> = {
  'POST /api/v1/dashboard/usage': {
    handler: ({ req, body, state }) => {
      const unit = unitOf(req);
      const refused = unknownUnit(unit);
      if (refused) return refused;
      if (!isObject(body)) throw new BadRequest('the body must be {"startTime": <epoch ms>, "endTime": <epoch ms>}');
      const [startTime, endTime] = (['startTime', 'endTime'] as const).map((field) => {
        const n = asLong(body[field]);
        if (n === undefined) throw new BadRequest(`${field} is required, a long (epoch milliseconds), got ${JSON.stringify(body[field])}`);
        return n;
      }) as [number, number];
      const usage = new Map<string, number>();
      for (const a of state.alerts) {
        if (a.buId !== unit.buId || String(a.companyId) !== String(unit.companyId)) continue;
        const inWindow = a.createTime >= startTime && a.createTime <= endTime;
        usage.set(a.service, (usage.get(a.service) ?? 0) + (inWindow ? 1 : 0));
      }
      return json(200, { data: [...usage].map(([name, alerts]) => ({ name, alerts })), startTime, endTime });
    },
  },
};
