import type { ConnectWiseSimulator } from '../connectors/connectwise/simulator.ts';
import type { RtSimulator } from '../connectors/request-tracker/simulator.ts';
import type { createZendeskSimulator } from '../connectors/zendesk/simulator.ts';
import type { Logger } from './logger.ts';

type ZendeskSimulator = Awaited<ReturnType<typeof createZendeskSimulator>>;

const SUBJECTS = [
  'Backups failing on FS01',
  'VPN drops every hour',
  'New starter laptop',
  'Printer queue stuck on PRN-3',
  'Disk 90% full on SQL02',
  'Phishing email reported by finance',
  'Wi-Fi slow in meeting room B',
  'Core switch port flapping',
];
const TECHS = ['jsmith', 'akumar', 'mgarcia'];
const BOARDS = ['Help Desk', 'Network Operations'];
const COMPANIES = ['Contoso', 'Fabrikam'];

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/**
 * People at work for two customers: MSP technicians open tickets for Contoso and Fabrikam on
 * ConnectWise's boards (the matrix routes each by area), move some to another board (re-routed),
 * and work them; Contoso's team opens tickets in its Request Tracker, Fabrikam's in its Zendesk.
 */
export function startDemoActivity(deps: {
  cw: ConnectWiseSimulator;
  rt: RtSimulator;
  zd: ZendeskSimulator;
  log: Logger;
}) {
  const { cw, rt, zd, log } = deps;
  let n = 0;
  const step = () => {
    try {
      n++;
      const open = (cw.listTickets() as { id: number; closedFlag?: boolean }[]).filter((t) => !t.closedFlag);
      const roll = Math.random();
      if (n <= 4 || roll < 0.3 || open.length === 0) {
        const company = n <= 4 ? COMPANIES[n % 2]! : pick(COMPANIES);
        cw.seedTicket({
          summary: `${company}: ${pick(SUBJECTS)}`,
          company,
          board: n <= 4 ? BOARDS[Math.floor(n / 2) % 2]! : pick(BOARDS),
          by: pick(TECHS),
        });
      } else if (roll < 0.4) {
        rt.createTicket({ subject: `Contoso: ${pick(SUBJECTS)}`, content: 'Reported by a user' });
      } else if (roll < 0.5) {
        zd.createTicket({ subject: `Fabrikam: ${pick(SUBJECTS)}`, description: 'Reported by a user' });
      } else {
        const ticket = pick(open);
        if (roll < 0.65) cw.updateTicket(ticket.id, { board: pick(BOARDS) }, { by: pick(TECHS) });
        else if (roll < 0.8) cw.updateTicket(ticket.id, { status: 'In Progress' }, { by: pick(TECHS) });
        else if (roll < 0.9) cw.updateTicket(ticket.id, { owner: pick(TECHS) }, { by: pick(TECHS) });
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
