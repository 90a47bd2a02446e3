export { formatQueueValidation } from './format-queue-validation.ts';
export {
  QUEUE_CHECK_DESCRIPTIONS,
  QUEUE_CHECK_NAMES,
  type QueueCheckLimits,
  type QueueCheckName,
  type QueueCheckResult,
} from './queue-check.ts';
export {
  QUEUE_KIT,
  type QueueKit,
  type QueueSubject,
  type QueueSubjectFactory,
  queueSubjectFromModule,
  REFERENCE_QUEUE_SUBJECT,
} from './queue-subject.ts';
export { type QueueValidationReport, validateQueueBehavior } from './validate-queue-behavior.ts';
export {
  type ResolvedValidateQueueOptions,
  resolveValidateQueueOptions,
  type ValidateQueueOptions,
} from './validate-queue-options.ts';
