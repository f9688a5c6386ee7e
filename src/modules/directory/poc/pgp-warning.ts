/** Days before an OpenPGP key's expiry when its owner is warned (the entry page, and an e-mail). */
export const PGP_WARN_DAYS = 30;
