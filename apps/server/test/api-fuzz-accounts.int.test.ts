// API fuzz (issue #9) of the account routes — sign-in, password changes, users, tokens — whose valid requests hash a
// password: the slow half, in a file of its own so that it runs beside the other (api-fuzz.int.test.ts).
import { describeApiFuzz, isAccountRoute } from "./fuzz/api-fuzz.ts";

describeApiFuzz("API fuzz: account routes", isAccountRoute);
