import type { ConnectWiseSimulator } from '../connectors/connectwise/simulator.ts';
import type { RtSimulator } from '../connectors/request-tracker/simulator.ts';
import type { Logger } from './logger.ts';

const SUBJECTS = [
  'Backups failing on FS01',
  'VPN drops every hour',
  'New starter laptop for Priya',
  'Printer queue stuck on PRN-3',
  'Disk 90% full on SQL02',
  'Phishing email reported by finance',
  'Wi-Fi slow in meeting room B',
  'Patch Tuesday: 3 servers pending reboot',
];
const TECHS = ['jsmith', 'akumar', 'mgarcia'];

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/**
 * People at work in both tools: the internal team opens tickets in RT and hands some to the
 * MSP; MSP technicians move, reassign, comment on and close them in ConnectWise.
 */
export function startDemoActivity(deps: { cw: ConnectWiseSimulator; rt: RtSimulator; log: Logger }) {
  const { cw, rt, log } = deps;
  let n = 0;
  const step = () => {
    try {
      n++;
      const mirrored = cw.listTickets() as { id: number; status?: { name?: string }; closedFlag?: boolean }[];
      const open = mirrored.filter((t) => !t.closedFlag);
      const roll = Math.random();
      if (n <= 3 || roll < 0.3 || open.length === 0) {
        const handOff = n <= 2 || Math.random() < 0.7;
        rt.createTicket({
          subject: pick(SUBJECTS),
          content: 'Reported by a user',
          ...(handOff ? { owner: 'msp-dispatch' } : {}),
        });
      } else {
        const ticket = pick(open);
        if (roll < 0.5) cw.updateTicket(ticket.id, { status: 'In Progress' }, { by: pick(TECHS) });
        else if (roll < 0.65) cw.updateTicket(ticket.id, { owner: pick(TECHS) }, { by: pick(TECHS) });
        else if (roll < 0.8)
          cw.addNote(
            ticket.id,
            { text: 'Working on it, update within the hour', kind: 'discussion' },
            { by: pick(TECHS) },
          );
        else cw.updateTicket(ticket.id, { status: 'Closed' }, { by: pick(TECHS) });
      }
    } catch (err) {
      log.debug({ err: err instanceof Error ? err.message : String(err) }, 'demo step skipped');
    }
  };
  const timer = setInterval(step, 4000);
  step();
  return { stop: () => clearInterval(timer) };
}
