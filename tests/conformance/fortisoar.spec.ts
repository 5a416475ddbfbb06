import { deriveSuite } from '../playwright.extend.ts';

deriveSuite('fortisoar');
