import { listOf } from './names.ts';
import type { StateTable } from '../../../db/schema.ts';
import { formatInstant } from '../../../web/format.ts';
import type { PageContext } from '../../../web/page-context.ts';
import { languageName } from './contact.ts';
import { AvailabilityText } from './entry.view.tsx';
import type { ReadEntry } from './poc.read.ts';

interface PrintProps {
  ctx: PageContext;
  entries: ReadEntry[];
  states: readonly StateTable[];
  printedAt: string;
  stateLabel: (s: StateTable) => string;
}

/** The directory on paper: State by State, every way to reach each contact, and when it was printed. */
export function PrintPage({ ctx, entries, states, printedAt, stateLabel }: PrintProps) {
  const { t, lang } = ctx;
  const withEntries = states.filter((s) => entries.some((e) => e.state === s.iso3));
  return (
    <div class="print-directory">
      <p class="lead">{t('directory.printedAt', { date: formatInstant(printedAt, lang, ctx.timeZone), count: entries.length })}</p>
      <p class="muted">{t('directory.printWarning')}</p>
      {withEntries.map((s) => (
        <section class="print-state" aria-labelledby={`print-${s.iso3}`}>
          <h2 id={`print-${s.iso3}`}>{stateLabel(s)}</h2>
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('directory.name')}</th>
                  <th scope="col">{t('directory.emails')}</th>
                  <th scope="col">{t('directory.phones')}</th>
                  <th scope="col">{t('directory.availability')}</th>
                </tr>
              </thead>
              <tbody>
                {entries
                  .filter((e) => e.state === s.iso3)
                  .map((e) => (
                    <tr>
                      <td>
                        <strong>{e.name}</strong>
                        <br />
                        {t(`directory.kind.${e.kind}`)} · {t(`directory.rank.${e.rank}`)}
                        {e.title && (
                          <>
                            <br />
                            {e.title}
                          </>
                        )}
                        <br />
                        {listOf(e.languages.map((l) => languageName(l, lang)), lang)}
                        {e.lapsed && (
                          <>
                            <br />
                            <span class="badge badge-warn">{t('directory.lapsed')}</span>
                          </>
                        )}
                      </td>
                      <td>
                        {e.emails.map((a) => (
                          <div>
                            <span dir="ltr">{a}</span>
                          </div>
                        ))}
                      </td>
                      <td>
                        {e.phones.map((p) => (
                          <div>
                            <span dir="ltr">{p.number}</span> ({t(`directory.phone.${p.label}`)})
                          </div>
                        ))}
                      </td>
                      <td>
                        <div>
                          <span dir="ltr">{e.timeZone}</span>
                        </div>
                        <AvailabilityText ctx={ctx} availability={e.availability} />
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}
