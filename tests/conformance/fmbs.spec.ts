import { deriveSuite } from '../playwright.extend.ts';

deriveSuite('fmbs');
