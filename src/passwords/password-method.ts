/** The password authentication method's id: the same fixed GUID for every user, as in Graph. */
export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';
