export { WelcomeController } from './welcome.controller.js';
export { MirrorController, MIRROR_FINALIZER, MIRRORED_BY_PREFIX, SOURCE_INDEX } from './mirror.controller.js';
export { Mirrors, MirrorSpecSchema, MirrorStatusSchema, type Mirror } from './mirror.kind.js';
