/**
 * Entry of the page-server helper, run inside the media namespace:
 *
 *   ip netns exec <ns> node --import tsx media/probe/serve-page.ts --dir <bundle dir> --port <port> --max-sec <s>
 *
 * Prints `READY {"url": ...}` once listening; ends as child-lifecycle.ts says.
 */
import { holdUntilStopped, readFlags } from './child-lifecycle.ts';
import { servePageDir } from './page-server.ts';

const flags = readFlags(process.argv.slice(2), ['dir', 'port', 'max-sec']);
const served = await servePageDir(flags.dir as string, Number(flags.port));
console.log(`READY ${JSON.stringify({ url: served.url })}`);
holdUntilStopped(() => served.close(), Number(flags['max-sec']));
