// A reader of five-field cron lines written apart from core/schedule, as Vixie cron and cronie match
// them: a field that starts with "*" counts as unrestricted, and when neither day field is, a day
// matching either one fires. It checks minute by minute in the zone (via Intl), so that what
// `export crontab` writes is read back by something other than the code that wrote it.

function field(text: string, min: number, max: number, dow = false): Set<number> {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText ? Number(stepText) : 1;
    let [from, to] = range === '*' ? [min, max] : range.split('-').map(Number);
    if (to === undefined) to = stepText ? max : from;
    if (![from, to, step].every(Number.isInteger) || from < min || to > max || step < 1) throw new Error(`bad cron field "${text}"`);
    for (let v = from; v <= to; v += step) out.add(dow ? v % 7 : v);
  }
  return out;
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** The zone's offset from UTC at t, in ms. */
function offset(zone: string, t: number): number {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(t / 1000) * 1000;
}

/** The next `count` minutes after `after` (epoch ms) at which `fields` fires in `zone`. */
export function vixieNext(fields: string, zone: string, after: number, count: number): number[] {
  const [m, h, dom, mon, dow] = fields.trim().split(/\s+/);
  const minutes = field(m, 0, 59);
  const hours = field(h, 0, 23);
  const days = field(dom, 1, 31);
  const months = field(mon, 1, 12);
  const weekdays = field(dow, 0, 7, true);
  const domStar = dom.startsWith('*');
  const dowStar = dow.startsWith('*');
  const out: number[] = [];
  let t = Math.floor(after / 60_000) * 60_000 + 60_000;
  let hourStart = -1;
  let off = 0;
  for (let guard = 0; out.length < count && guard < 6_000_000; guard++, t += 60_000) {
    if (Math.floor(t / 3_600_000) !== hourStart) { hourStart = Math.floor(t / 3_600_000); off = offset(zone, t); }
    const w = new Date(t + off);
    if (!minutes.has(w.getUTCMinutes()) || !hours.has(w.getUTCHours()) || !months.has(w.getUTCMonth() + 1)) continue;
    const d = days.has(w.getUTCDate());
    const wd = weekdays.has(w.getUTCDay());
    if (domStar || dowStar ? d && wd : d || wd) out.push(t);
  }
  return out;
}
