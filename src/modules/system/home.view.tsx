import type { PageContext } from '../../web/page-context.ts';

export function HomePage({ ctx }: { ctx: PageContext }) {
  const { t, principal } = ctx;
  return (
    <>
      <p class="lead">{t('home.lead')}</p>
      {principal ? (
        <p>{t('home.signedInAs', { name: principal.displayName || principal.email, role: t(`role.${principal.role}`) })}</p>
      ) : (
        <p>
          <a class="button" href="/sign-in">
            {t('nav.signIn')}
          </a>
        </p>
      )}
      <ul class="card-list">
        <li class="card">
          <h2>
            <a href="/states">{t('nav.states')}</a>
          </h2>
          <p>{t('home.statesCard')}</p>
        </li>
      </ul>
    </>
  );
}
