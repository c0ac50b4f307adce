/** Activities throw these as `ApplicationFailure.type`; the list itself lives in the pure core. */
export { FailureType, type FailureTypeName } from '../domain/failure-types';
