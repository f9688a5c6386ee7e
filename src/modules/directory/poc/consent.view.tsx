import { CsrfField } from '../../../web/forms.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import { pocPolicy } from './poc.policy.ts';
import type { ReadEntry } from './poc.read.ts';

/** May this reader choose which regional organisations receive the entry? */
function canConsent(ctx: PageContext, entry: ReadEntry): boolean {
  return pocPolicy(ctx.principal, 'consent', { state_iso3: entry.state, user_id: '', status: entry.status, shared_with: [], viewer_participates: true });
}

/** The entry page's section: which regional organisations receive the entry, and a way to change it. */
export function ConsentSection({ ctx, entry }: { ctx: PageContext; entry: ReadEntry }) {
  if (!canConsent(ctx, entry)) return null;
  const { t } = ctx;
  return (
    <section aria-labelledby="consent-h" id="consent">
      <h2 id="consent-h">{t('directory.consent.heading')}</h2>
      <p>
        {entry.sharedWith.length === 0
          ? t('directory.consent.none')
          : t('directory.consent.sharedWith', { organisations: entry.sharedWith.map((o) => t(`regional.name.${o}`)).join(' · ') })}
      </p>
      <p>
        <a class="button button-secondary" href={`/directory/entries/${entry.id}/consent`}>
          {t('directory.consent.choose')}
        </a>
      </p>
    </section>
  );
}

interface ConsentFormProps {
  ctx: PageContext;
  entry: ReadEntry;
  /** The organisations the entry's State belongs to: the only ones it may choose. */
  choices: string[];
  error?: string | undefined;
}

/** One checkbox per regional organisation the State belongs to. */
export function ConsentForm({ ctx, entry, choices, error }: ConsentFormProps) {
  const { t } = ctx;
  const chosen = new Set(entry.sharedWith);
  return (
    <form method="post" action={`/directory/entries/${entry.id}/consent`} class="stacked">
      <CsrfField ctx={ctx} />
      <p>{t('directory.consent.explain')}</p>
      {error && (
        <p class="field-error" id="organisations-error" role="alert">
          {error}
        </p>
      )}
      {choices.length === 0 ? (
        <p>{t('directory.consent.noOrganisation')}</p>
      ) : (
        <fieldset aria-describedby={error ? 'organisations-error' : undefined}>
          <legend>{t('directory.consent.legend')}</legend>
          {choices.map((o) => (
            <label class="checkbox">
              <input type="checkbox" name={`org_${o}`} value="on" checked={chosen.has(o)} /> {t(`regional.name.${o}`)} ({o})
            </label>
          ))}
        </fieldset>
      )}
      <button type="submit" class="button">
        {t('directory.consent.save')}
      </button>
      <p>
        <a href={`/directory/entries/${entry.id}`}>{t('directory.viewEntry')}</a>
      </p>
    </form>
  );
}
