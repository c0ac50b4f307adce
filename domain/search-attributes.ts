/** Typed keys of our custom search attributes (registered by scripts/dev-server.sh and the test helpers). */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from './names';

export const phaseKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.phase, SearchAttributeType.KEYWORD);
export const statusKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.status, SearchAttributeType.KEYWORD);
export const planKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.plan, SearchAttributeType.KEYWORD);
