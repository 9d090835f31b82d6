export const PAM_GRANTS_PLATFORM = "pam-grants";
