import { ClientCore } from './core/client-core.js';
import type { ClientOptions } from './core/config.js';
import { Projects } from './resources/projects.js';

/**
 * The OpenAI Administration API client.
 *
 * @example
 * import { OpenAIAdmin } from 'openai-admin';
 * const admin = new OpenAIAdmin(); // reads OPENAI_ADMIN_KEY
 * for await (const project of admin.projects.list()) console.log(project.name);
 */
export class OpenAIAdmin extends ClientCore {
  readonly projects = new Projects(this);

  /**
   * @example
   * const admin = new OpenAIAdmin({ apiKey: process.env.OPENAI_ADMIN_KEY, maxRetries: 4, timeout: 30_000 });
   */
  constructor(options: ClientOptions = {}) {
    super(options);
  }

  /**
   * A client with some options changed (same key unless given).
   * @example
   * const patient = admin.withOptions({ timeout: 120_000 });
   */
  withOptions(options: Partial<ClientOptions>): OpenAIAdmin {
    return new OpenAIAdmin({ ...this.optionsForCopy(), ...options });
  }
}
