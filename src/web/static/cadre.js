// Progressive enhancement only: every page works without this file.
// Focus the error summary after a failed form submission so screen readers announce it.
const summary = document.querySelector('.error-summary');
if (summary instanceof HTMLElement) summary.focus();
