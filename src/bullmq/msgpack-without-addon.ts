/**
 * BullMQ encodes job data with msgpackr, which loads an optional native addon (`msgpackr-extract`) when its
 * module is first evaluated. The isolation guard forbids native addons in a stress run (one can do anything,
 * beyond any JavaScript guard), so this module, evaluated before `bullmq` by the entry point's import order,
 * asks msgpackr for its pure-JavaScript decoder instead. A value the user set is kept.
 */
process.env.MSGPACKR_NATIVE_ACCELERATION_DISABLED ??= 'true';
