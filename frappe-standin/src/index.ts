export { startStandin, type Standin, type StandinOptions } from "./server.js";
export { Site, type Change, type Controller, type Ctx } from "./site/site.js";
export { FrappeException } from "./site/errors.js";
export type { User } from "./site/users.js";
