/** True unless `value` parses as a URL carrying a user name or password (credentials never belong in a stored URL). */
export function withoutCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username === "" && url.password === "";
  } catch {
    // Whether it is a URL at all is for the caller's other checks to say.
    return true;
  }
}
