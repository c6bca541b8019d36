/**
 * One load-test user as a real client holds it: log in once, reuse the access token, refresh it a
 * little before it expires, and on a 401 refresh (or log in again) and retry once. One instance per
 * VU; tokens live only in this VU's memory (never logged, never tagged).
 */
import type { Response } from 'k6/http';
import { loadTestUserEmail } from '../gomeet/contract.ts';
import { GoMeetApi, loginBody } from './gomeet-api.ts';

/** Refresh this long before the access token's stated expiry, so requests never carry a stale one. */
const REFRESH_MARGIN_MS = 30_000;

export class UserSession {
  private accessToken: string | undefined;
  private refreshToken: string | undefined;
  private expiresAtMs = 0;
  readonly email: string;

  constructor(
    private readonly api: GoMeetApi,
    userIndex: number,
    private readonly password: string,
  ) {
    this.email = loadTestUserEmail(userIndex);
  }

  /** Log in (one request); returns the response so the caller can check it. */
  login(): Response {
    const res = this.api.login(this.email, this.password);
    this.adopt(res);
    return res;
  }

  /** A valid access token, logging in or refreshing first if needed; undefined if that failed. */
  token(): string | undefined {
    if (this.accessToken && Date.now() < this.expiresAtMs - REFRESH_MARGIN_MS) return this.accessToken;
    if (this.refreshToken && this.adopt(this.api.refresh(this.refreshToken))) return this.accessToken;
    this.login();
    return this.accessToken;
  }

  /** Run an authenticated request; on 401 get a new token and retry once (the 401 still counts as
   *  a failed request: a server that forgets tokens is a problem worth seeing). */
  call(request: (token: string) => Response): Response | undefined {
    const token = this.token();
    if (!token) return undefined;
    const res = request(token);
    if (res.status !== 401) return res;
    this.accessToken = undefined;
    const fresh = this.token();
    return fresh ? request(fresh) : res;
  }

  private adopt(res: Response): boolean {
    const body = loginBody(res);
    if (!body) {
      this.accessToken = undefined;
      this.refreshToken = undefined;
      return false;
    }
    this.accessToken = body.accessToken;
    this.refreshToken = body.refreshToken;
    this.expiresAtMs = Date.now() + body.expiresIn * 1000;
    return true;
  }
}
