import { CsrfField, ErrorSummary, Select, type FieldErrors } from '../../../web/forms.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import type { ImportReport, ReportRow, RowProblem } from './import.report.ts';
import type { ImportSummary } from './import.repository.ts';
import type { ImportCounts } from './import.service.ts';
import { formatInstant } from '../../../web/format.ts';

/** One problem in the reader's language, after the column or property of the file it is about. */
export function ProblemText({ ctx, problem }: { ctx: PageContext; problem: RowProblem }) {
  return (
    <>
      <code dir="ltr">{problem.field}</code> — {ctx.t(problem.messageKey, problem.values ?? {})}
    </>
  );
}

export function UploadForm({ ctx, organisations, errors }: { ctx: PageContext; organisations: { id: string }[]; errors?: FieldErrors | undefined }) {
  const { t } = ctx;
  return (
    <form method="post" action="/directory/imports" enctype="multipart/form-data" class="stacked">
      <ErrorSummary ctx={ctx} errors={errors} />
      <CsrfField ctx={ctx} />
      <p>{t('directory.import.explain')}</p>
      <Select name="organisation" label={t('directory.regionalOrganisation')} options={organisations.map((o) => ({ value: o.id, label: `${t(`regional.name.${o.id}`)} (${o.id})` }))} errors={errors} required />
      <div class={errors?.file ? 'field field-error' : 'field'}>
        <label for="file">{t('directory.import.file')}</label>
        <p id="file-hint" class="hint">
          {t('directory.import.fileHint')}
        </p>
        {errors?.file && (
          <p id="file-error" class="error-message">
            {errors.file}
          </p>
        )}
        <input type="file" id="file" name="file" accept=".csv,.json,text/csv,application/json" required aria-describedby={errors?.file ? 'file-hint file-error' : 'file-hint'} />
      </div>
      <button type="submit" class="button">
        {t('directory.import.preview')}
      </button>
    </form>
  );
}

function RowReport({ ctx, row, applied }: { ctx: PageContext; row: ReportRow; applied: boolean }) {
  const { t } = ctx;
  const choosable = !applied && (row.status === 'conflict' || row.status === 'possible');
  return (
    <tr data-line={row.line} data-status={row.status}>
      <td>{row.line}</td>
      <td>{row.state}</td>
      <td>{row.name}</td>
      <td>
        <span class={row.status === 'error' ? 'badge badge-warn' : 'badge'}>{t(`directory.import.status.${row.status}`)}</span>
        {row.match && (
          <>
            {' '}
            <a href={`/directory/entries/${row.match.id}`}>{row.match.name}</a>
          </>
        )}
      </td>
      <td>
        {row.errors.length > 0 && (
          <ul class="plain">
            {row.errors.map((p) => (
              <li class="error-message">
                <ProblemText ctx={ctx} problem={p} />
              </li>
            ))}
          </ul>
        )}
        {row.differences.length > 0 && (
          <table class="differences">
            <thead>
              <tr>
                <th scope="col">{t('directory.import.field')}</th>
                <th scope="col">{t('directory.import.current')}</th>
                <th scope="col">{t('directory.import.incoming')}</th>
              </tr>
            </thead>
            <tbody>
              {row.differences.map((d) => (
                <tr data-field={d.field}>
                  <th scope="row">{t(`directory.import.field.${d.field}`)}</th>
                  <td>{d.current}</td>
                  <td>{d.incoming}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {choosable && (
          <label class="checkbox">
            <input type="checkbox" name={`accept_${row.line}`} value="on" /> {t(row.status === 'possible' ? 'directory.import.takeValuesSamePerson' : 'directory.import.takeValues')}
          </label>
        )}
      </td>
    </tr>
  );
}

/** The preview: what each row would do; the confirmation form unless the import is done. */
export function ImportPreview({ ctx, report, error }: { ctx: PageContext; report: ImportReport; error?: string | undefined }) {
  const { t } = ctx;
  const imp = report.import;
  const applied = imp.applied_at !== null;
  const good = report.rows.length - report.counts.error;
  return (
    <>
      <p class="lead">{t('directory.import.source', { organisation: imp.organisation_id, file: imp.file_name })}</p>
      {applied && (
        <p class="notice notice-ok" role="status">
          {t('directory.import.alreadyApplied')}
        </p>
      )}
      {error && (
        <p class="notice notice-warn" role="alert">
          {error}
        </p>
      )}
      {report.fileErrors.length > 0 ? (
        <div class="error-summary" role="alert">
          <h2>{t('directory.import.fileRefused')}</h2>
          <ul>
            {report.fileErrors.map((p) => (
              <li>{t(p.messageKey, p.values ?? {})}</li>
            ))}
          </ul>
        </div>
      ) : (
        <form method="post" action={`/directory/imports/${imp.id}/apply`} class="import-apply">
          <CsrfField ctx={ctx} />
          <p data-counts>{t('directory.import.counts', { ...report.counts, rows: report.rows.length })}</p>
          <div class="table-scroll">
            <table class="import-report">
              <thead>
                <tr>
                  <th scope="col">{t('directory.import.line')}</th>
                  <th scope="col">{t('directory.state')}</th>
                  <th scope="col">{t('directory.import.name')}</th>
                  <th scope="col">{t('directory.import.outcome')}</th>
                  <th scope="col">{t('directory.import.details')}</th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((row) => (
                  <RowReport ctx={ctx} row={row} applied={applied} />
                ))}
              </tbody>
            </table>
          </div>
          {!applied && report.counts.error > 0 && (
            <label class="checkbox">
              <input type="checkbox" name="goodRowsOnly" value="on" /> {t('directory.import.goodRowsOnly', { count: good })}
            </label>
          )}
          {!applied && (
            <button type="submit" class="button">
              {t('directory.import.apply')}
            </button>
          )}
        </form>
      )}
    </>
  );
}

export function ImportApplied({ ctx, counts, id }: { ctx: PageContext; counts: ImportCounts; id: string }) {
  const { t } = ctx;
  return (
    <>
      <p class="notice notice-ok" role="status" data-applied>
        {t('directory.import.applied', { created: counts.created, updated: counts.updated, unchanged: counts.unchanged, skipped: counts.skipped, errors: counts.errors })}
      </p>
      {counts.invitations.some((i) => i.link) && (
        <section aria-labelledby="links-h">
          <h2 id="links-h">{t('directory.import.enrolmentLinks')}</h2>
          <ul class="plain">
            {counts.invitations
              .filter((i) => i.link)
              .map((i) => (
                <li dir="ltr">
                  {i.email}: <code data-enrolment-link>{i.link}</code>
                </li>
              ))}
          </ul>
        </section>
      )}
      <p>
        <a href={`/directory/imports/${id}`}>{t('directory.import.backToReport')}</a> · <a href="/directory">{t('directory.heading')}</a>
      </p>
    </>
  );
}

/** The latest uploads, the organisations' own first to the eye: each awaits review until applied. */
export function UploadsList({ ctx, uploads }: { ctx: PageContext; uploads: readonly ImportSummary[] }) {
  const { t, lang } = ctx;
  return (
    <section aria-labelledby="uploads-h">
      <h2 id="uploads-h">{t('directory.import.uploads')}</h2>
      {uploads.length === 0 ? (
        <p>{t('directory.import.noUploads')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('directory.import.uploadedAt')}</th>
                <th scope="col">{t('directory.regionalOrganisation')}</th>
                <th scope="col">{t('directory.import.file')}</th>
                <th scope="col">{t('directory.import.uploadedBy')}</th>
                <th scope="col">{t('directory.import.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {uploads.map((u) => (
                <tr data-import={u.id}>
                  <td>{formatInstant(u.created_at, lang, ctx.timeZone)}</td>
                  <td>{u.organisation_id}</td>
                  <td>
                    <a href={`/directory/imports/${u.id}`}>{u.file_name}</a>
                  </td>
                  <td>
                    <span dir="ltr">{u.created_by_label ?? ''}</span>
                    {u.created_by_role === 'regional-org' && <span class="badge"> {t('directory.import.byOrganisation')}</span>}
                  </td>
                  <td>{u.applied_at ? t('directory.import.appliedOn', { date: formatInstant(u.applied_at, lang, ctx.timeZone) }) : <span class="badge badge-warn">{t('directory.import.awaiting')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
