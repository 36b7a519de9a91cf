/**
 * Anhøj's longest-run rule (docs/methodology.md §4) against the qicharts2 author's stored reference outputs
 * (anhoej/qicharts2 v0.8.1, commit 1b9487ecb3938d25a8a04578464f960d3a064f64: tests/testthat/hai_*.rds and
 * ex_6.5_3.rds, data hospital_infections and Montgomery Example 6.5), copied verbatim from the shared
 * reference set (`anhoej-runs-qicharts2.json`) so this suite runs alone.
 *
 * qicharts2 compares each point with a centre line CL; the engine compares each post-baseline point with
 * its forecast. The run logic is the same: residuals y − CL, zeros dropped, runs of equal sign. The
 * crossings rule is not part of engine.md; its counts are still checked, as `runs − 1`, because they test
 * the run segmentation.
 */
import { round12 } from '../../server/engine/rounding.ts';
import t from 'tap';
import { anhoejLongestRunLimit, curveStatus, currentRunLength, runLengths } from '../../server/engine/curve-status.ts';
import type { ForecastPoint } from '../../server/engine/types.ts';

interface RunsCase {
  name: string;
  centreLine: number;
  y: number[];
  /** qicharts2's stored outputs. */
  nUseful: number;
  longestRun: number;
  longestRunMax: number;
  nCrossings: number;
  nCrossingsMin: number;
  runsSignal: boolean;
}

const cases: RunsCase[] = [
  {
    name: 'hai_3:AHH/BAC',
    centreLine: 0.000861734842735002,
    y: [
      0.000986441268060806, 0.0011758365587187, 0.00100689028844436, 0.000646670187426778, 0.000823360206895492,
      0.000893995067062663, 0.000591855411915034, 0.000985294479887133, 0.0010046832892908, 0.000618864538288322,
      0.000944294493975819, 0.00101840483855494, 0.000650293715994875, 0.000939912722389786, 0.000872849698399162,
      0.0009657610868026, 0.000971880264351514, 0.000982160152126166, 0.00101687105598366, 0.00102088290419895,
      0.000754019473599607, 0.000725813768283751, 0.000547768730013724, 0.000562347697498975,
    ],
    nUseful: 24,
    longestRun: 7,
    longestRunMax: 8,
    nCrossings: 9,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:AHH/CDI',
    centreLine: 0.000590417347535171,
    y: [
      0.000458602899025418, 0.000952677573603377, 0.000329429592660372, 0.000362331968549948, 0.000214486795656621,
      0.000356736220320224, 0.00067801504816767, 0.000296254235509803, 0.000355111534614407, 0.000628907012022334,
      0.00079202692891557, 0.00089476840100547, 0.000589173929053515, 0.000691131439761186, 0.000488843884213626,
      0.000717986765109966, 0.000793457581577363, 0.000659866377058917, 0.000793913331127868, 0.000872425889238054,
      0.000568084313179941, 0.000418695936614161, 0.000554245317060197, 0.000775029944339163,
    ],
    nUseful: 24,
    longestRun: 5,
    longestRunMax: 8,
    nCrossings: 11,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:AHH/UTI',
    centreLine: 0.00465769009336627,
    y: [
      0.00390223865270194, 0.00448848375020359, 0.00379521917390734, 0.00437454431830196, 0.00373169849399254,
      0.00462901481663849, 0.00437732841109022, 0.00507198314540519, 0.00442934629605111, 0.00545478320973025,
      0.00522448979591744, 0.00521557032129686, 0.00460201955858349, 0.0046294416243642, 0.00512022488830792,
      0.00436100277105073, 0.00373119825877502, 0.00614993460702499, 0.00380824082589554, 0.00576969308437867,
      0.00475453756461701, 0.00446684647961211, 0.00424921395647179, 0.00567874786167974,
    ],
    nUseful: 24,
    longestRun: 7,
    longestRunMax: 8,
    nCrossings: 11,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:BFH/BAC',
    centreLine: 0.000750015067267079,
    y: [
      0.000961191877928724, 0.000973886117752472, 0.000647676161919256, 0.000629446283972149, 0.000992278041396499,
      0.000988335581109826, 0.000450240878870137, 0.000693854688036275, 0.000989024574512177, 0.000563879490897374,
      0.00118902922369631, 0.000794925724128162, 0.000863970467918997, 0.000390490260522002, 0.000441551193875049,
      0.000455608252837529, 0.000894999192014574, 0.000576311537551058, 0.000846789843226492, 0.000563561079846035,
      0.000508372255584298, 0.00101832993889981, 0.000590540801800021, 0.000919851012011115,
    ],
    nUseful: 24,
    longestRun: 3,
    longestRunMax: 8,
    nCrossings: 14,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:BFH/CDI',
    centreLine: 0.000970349805695257,
    y: [
      0.00168987308349064, 0.00138930428658283, 0.00118081180811785, 0.00137357550456968, 0.00077903613753903,
      0.000416824423131947, 0.000633400569306472, 0.000795158369041827, 0.000583422467320938, 0.000564584425535493,
      0.00111895564140165, 0.000890153686383627, 0.000559395852479394, 0.000478882607249692, 0.000978445964381187,
      0.00132895559724986, 0.00146206330477587, 0.000930767142509619, 0.0010637783472752, 0.000964215550386874,
      0.000692316013413926, 0.00128789911456888, 0.000598725569858864, 0.00129471253785267,
    ],
    nUseful: 24,
    longestRun: 6,
    longestRunMax: 8,
    nCrossings: 10,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:BFH/UTI',
    centreLine: 0.00420422154952409,
    y: [
      0.00364941740509703, 0.00473813574100787, 0.00420116844997505, 0.00353632961881543, 0.00454582564538303,
      0.00289423281549165, 0.00411297939923637, 0.00421756345974576, 0.00513980996980271, 0.0041294309742465,
      0.00378639777754922, 0.00360735733111953, 0.00448258414184061, 0.00432480951457779, 0.00338198134145708,
      0.00447358785740681, 0.0040663651648051, 0.00424880050869778, 0.0048479851592312, 0.00509227712107145,
      0.0045417945283272, 0.00386522644533863, 0.00495182653869651, 0.00444646262828374,
    ],
    nUseful: 24,
    longestRun: 4,
    longestRunMax: 8,
    nCrossings: 13,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:BOH/BAC',
    centreLine: 0.000521974292766122,
    y: [
      0.000840042002101281, 0, 0.000439931077464595, 0.000424568355505116, 0.00122498979175124, 0.000420838520752659,
      0.000439351224691352, 0, 0.000472236433041329, 0, 0.000869470709705845, 0, 0.00166959425381357, 0,
      0.000392304297366298, 0.000833015167818079, 0, 0, 0.000893206051470999, 0.000856469916495161, 0.0013206889594058,
      0.00089310633547227, 0, 0.000431003519861831,
    ],
    nUseful: 24,
    longestRun: 5,
    longestRunMax: 8,
    nCrossings: 11,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:BOH/CDI',
    centreLine: 0.000487999436923605,
    y: [
      0.000879910542428703, 0.000450839688920276, 0.000958657878969902, 0.000449076586268811, 0, 0.000434491373535414,
      0, 0.00102001785031238, 0.000488440247475994, 0, 0.000450416635388072, 0.000827129859385872, 0.00044121702362317,
      0.00087586445997418, 0, 0.00128852142166919, 0, 0.000472599098124132, 0.000473083518952834, 0,
      0.000445988887443422, 0.00140370030998404, 0.000525750837915306, 0,
    ],
    nUseful: 24,
    longestRun: 5,
    longestRunMax: 8,
    nCrossings: 13,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:BOH/UTI',
    centreLine: 0.00268803895708606,
    y: [
      0.000441964532346865, 0, 0.000946297610597638, 0, 0.00131984161900456, 0.00317376355461566, 0.00333538485973044,
      0.00386856103345702, 0.00465798326576302, 0.00227621919990999, 0.0018538186733613, 0.00348387799168293,
      0.00176088631277846, 0.000433408577878041, 0.00338809578429315, 0.00365387177193806, 0.00518022879343919,
      0.00408528022469959, 0.00293889546512151, 0.00325089980262394, 0.00238710960811655, 0.00427705833432136,
      0.0060854732377495, 0.00329269726784163,
    ],
    nUseful: 24,
    longestRun: 6,
    longestRunMax: 8,
    nCrossings: 7,
    nCrossingsMin: 8,
    runsSignal: true,
  },
  {
    name: 'hai_3:HGH/BAC',
    centreLine: 0.000945076368042325,
    y: [
      0.00127115277667415, 0.000344997358613959, 0.000638587656965377, 0.000760647747901653, 0.00118790668568761,
      0.00115015197120176, 0.00124823217118396, 0.00109795220476854, 0.000840207619724769, 0.00141329892878451,
      0.00112203981083583, 0.00108239751048544, 0.000661137673311771, 0.00106507103247185, 0.000921815067835685,
      0.000977471865286312, 0.000703413509447417, 0.000739606981068144, 0.000671921436878115, 0.000805759501771728,
      0.000940822278671519, 0.00120453786476354, 0.000851332177202912, 0.000932206508273516,
    ],
    nUseful: 24,
    longestRun: 5,
    longestRunMax: 8,
    nCrossings: 11,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:HGH/CDI',
    centreLine: 0.000593453257864819,
    y: [
      0.000586550194556676, 0.000500482472686582, 0.000767890788865385, 0.00104315486314298, 0.000584312337417712,
      0.000280170359143478, 0.00051047538019786, 0.000443633854192062, 0.000380560494252817, 0.000502059585344284,
      0.000923496048206303, 0.000832060524699633, 0.000574403687966445, 0.000769090570428908, 0.000725078266911701,
      0.000803551381990019, 0.000504407258420535, 0.00042207542399891, 0.000277343786112366, 0.000534094120736103,
      0.000349902318935851, 0.000629393905772387, 0.000395033279496263, 0.000764083004883783,
    ],
    nUseful: 24,
    longestRun: 6,
    longestRunMax: 8,
    nCrossings: 9,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:HGH/UTI',
    centreLine: 0.00456410022353853,
    y: [
      0.00421807903462958, 0.00379919013148431, 0.00381313473256798, 0.00456240470987832, 0.00345046379984185,
      0.00556487254163352, 0.00351238947331791, 0.00486954316329985, 0.00402850247380188, 0.00510069300303171,
      0.00505661604030948, 0.00524197022737156, 0.00579620141800082, 0.00464085365093057, 0.00488758553274721,
      0.00497972916619998, 0.00433989843432133, 0.00468633990949573, 0.0034135616755373, 0.00536813925475014,
      0.0053574125098209, 0.00454084871826336, 0.00386407112941235, 0.00442121745766807,
    ],
    nUseful: 24,
    longestRun: 7,
    longestRunMax: 8,
    nCrossings: 10,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:NOH/BAC',
    centreLine: 0.00057883669510917,
    y: [
      0.000617646680363526, 0.000701655224164709, 0.000804699444757655, 0.000774111499703327, 0.000909650319715046,
      0.000624238913257011, 0.00103827684498406, 0.000571917424655891, 0.00040091829380619, 0.000274004507374103,
      0.000448988373072062, 0.000345139170180048, 0.000435343547279038, 0.000654427549416804, 0.000563871352750589,
      0.000400239190563747, 0.000667898878254738, 0.000739455646881286, 0.000289367202156979, 0.000407073384669639,
      0.000580434987653598, 0.000503723120191388, 0.000584516166743073, 0.0005276297211868,
    ],
    nUseful: 24,
    longestRun: 7,
    longestRunMax: 8,
    nCrossings: 9,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:NOH/CDI',
    centreLine: 0.000451306482398471,
    y: [
      0.000326061852121949, 0.000611260954942744, 0.000444758452148101, 0.000288595430091461, 0.000722406168237221,
      0.000477765253029165, 0.000487693362798105, 0.000299683833555644, 0.000299953507206399, 0.000466653704063739,
      0.000420324700831608, 0.00042595808876677, 0.000291835181217461, 0.00063638195645053, 0.000780066305635806,
      0.000368205458645784, 0.000357457582941403, 0.000422743606002793, 0.000497096387507619, 0.000372615840830725,
      0.000249806140026778, 0.000540380968582817, 0.000494777775200927, 0.000559937992051996,
    ],
    nUseful: 24,
    longestRun: 3,
    longestRunMax: 8,
    nCrossings: 11,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:NOH/UTI',
    centreLine: 0.0033713411190225,
    y: [
      0.00365895705651198, 0.00372039320707507, 0.00389555644923266, 0.00429623877406058, 0.00301320449952323,
      0.00258012992797201, 0.00333519495944948, 0.0032282513379913, 0.00311553170442799, 0.00271162609688993,
      0.0030870470080092, 0.00317645190322534, 0.00255703870565127, 0.00328632969007072, 0.00356205474315635,
      0.00355121518144359, 0.00388038557482235, 0.00328962108731389, 0.00342925543100419, 0.00415537195448353,
      0.00338730033791464, 0.00302505704135994, 0.00388664999442642, 0.00310761743934583,
    ],
    nUseful: 24,
    longestRun: 10,
    longestRunMax: 8,
    nCrossings: 7,
    nCrossingsMin: 8,
    runsSignal: true,
  },
  {
    name: 'hai_3:RGH/BAC',
    centreLine: 0.00087790522220972,
    y: [
      0.000944975540611339, 0.000638588482938289, 0.000995316311005396, 0.000884050538223861, 0.00067611891643882,
      0.000909173315221957, 0.00115931201272583, 0.000627948317390701, 0.000894229734241743, 0.000994661980704098,
      0.000860280280418171, 0.000666954315091987, 0.000641570384210263, 0.000904341272889595, 0.000919249336452412,
      0.0009004001778568, 0.000875357016603853, 0.0011894967437524, 0.000969390159343493, 0.00102700629194172,
      0.000922433059545545, 0.000700285950096308, 0.000736855792986758, 0.00106700850457601,
    ],
    nUseful: 24,
    longestRun: 4,
    longestRunMax: 8,
    nCrossings: 12,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:RGH/CDI',
    centreLine: 0.000585671164512704,
    y: [
      0.000662439258242195, 0.000798403193612265, 0.000869360476699109, 0.000657620327776293, 0.000446229361891921,
      0.000701069715540922, 0.000461163564584439, 0.000884473964135285, 0.000711119539193938, 0.00042702853380959,
      0.000567685395849641, 0.000302079154178361, 0.000582075706221298, 0.00071885739508792, 0.000883847683582448,
      0.00042839420596832, 0.000474469149620516, 0.000469340906971055, 0.000473653898942942, 0.000392035152485296,
      0.00066080204848645, 0.000572169326359989, 0.000468369449821962, 0.000328944792098926,
    ],
    nUseful: 24,
    longestRun: 5,
    longestRunMax: 8,
    nCrossings: 9,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_3:RGH/UTI',
    centreLine: 0.0044095265289601,
    y: [
      0.00471911585242154, 0.00491038214406138, 0.00546186278267446, 0.00438980567987938, 0.00449874501472893,
      0.00459840877466989, 0.00445841347281238, 0.00484975938970214, 0.00396646590071041, 0.00379923012300653,
      0.00408358868771113, 0.00388110611524199, 0.00404310722416575, 0.00502797228581906, 0.00445663576124479,
      0.00417643189669938, 0.00434309128570394, 0.0046773312374813, 0.00401121911860772, 0.00394047123196644,
      0.00381598267232413, 0.00447972636657069, 0.00445101075035632, 0.00481403089420934,
    ],
    nUseful: 24,
    longestRun: 5,
    longestRunMax: 8,
    nCrossings: 8,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_2:BAC (all hospitals summed by month)',
    centreLine: 0.000812768569030364,
    y: [
      0.000968293341118226, 0.000693409262205879, 0.000826454186315799, 0.000757217226692405, 0.000907717389357008,
      0.000909070697538729, 0.000960801891735947, 0.000777280987076733, 0.000816382405465292, 0.000827642949963123,
      0.000901845106469222, 0.000758903839294591, 0.000662140686232441, 0.000814847886573233, 0.000775575511364848,
      0.00078151921399601, 0.000798288004849732, 0.000877278235673024, 0.000766782038964343, 0.00080670208088792,
      0.000797990700339092, 0.000820030409460861, 0.000665884343530863, 0.000809178822053766,
    ],
    nUseful: 24,
    longestRun: 3,
    longestRunMax: 8,
    nCrossings: 13,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_2:CDI (all hospitals summed by month)',
    centreLine: 0.000612173677669668,
    y: [
      0.000701135084142307, 0.000791775167951155, 0.000734220380326118, 0.000725186343550576, 0.000527447559540637,
      0.000473679432181148, 0.000520664599435323, 0.000575452169534551, 0.000489668396029729, 0.000488841372274891,
      0.000725433814677994, 0.000625428521877189, 0.000522951012563854, 0.000682945680575173, 0.000760746191275463,
      0.000687750632201465, 0.000633413643264705, 0.000539741695045891, 0.000561831051226685, 0.00055374818301365,
      0.000504730938177768, 0.00066389863766924, 0.000489518572082145, 0.000670534000926386,
    ],
    nUseful: 24,
    longestRun: 6,
    longestRunMax: 8,
    nCrossings: 8,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_2:UTI (all hospitals summed by month)',
    centreLine: 0.00422402000519951,
    y: [
      0.00403844148710436, 0.00422924838535952, 0.00428389654389933, 0.00419129647662401, 0.0038096346719079,
      0.00420774163878898, 0.00393607833161419, 0.00447632187699109, 0.00406424505398755, 0.00414835839633271,
      0.00419891537179565, 0.00421954253409201, 0.00427343421261186, 0.00435684557865903, 0.00431763707498297,
      0.00430480304413643, 0.00415009122723115, 0.004567950436578, 0.0038140013500058, 0.00470047558582136,
      0.00428178615498083, 0.0041450874208108, 0.00427398778179305, 0.00444369468525953,
    ],
    nUseful: 24,
    longestRun: 4,
    longestRunMax: 8,
    nCrossings: 11,
    nCrossingsMin: 8,
    runsSignal: false,
  },
  {
    name: 'hai_1: all hospitals and infections summed by month',
    centreLine: 0.00182357516548576,
    y: [
      0.00185204968217241, 0.00184524852194882, 0.00189265441141499, 0.0018334776348149, 0.00170280866870657,
      0.00180843640811072, 0.00175015095211506, 0.00187927430241213, 0.00173675886166628, 0.00176278492474632,
      0.00188473306918355, 0.00180739218043949, 0.00175635972305981, 0.00188801920150568, 0.001887736688813,
      0.00185992260830476, 0.00180167291878852, 0.00192751467881815, 0.00165556617449145, 0.0019511398877424,
      0.00179654247235086, 0.00181653953939076, 0.00174931073528694, 0.00191230364129626,
    ],
    nUseful: 24,
    longestRun: 4,
    longestRunMax: 8,
    nCrossings: 12,
    nCrossingsMin: 8,
    runsSignal: false,
  },
];

/** Montgomery Example 6.5 (weekly cost), I chart frozen on the first 20 points: qicharts2's ex_6.5_3.rds. */
const montgomery = {
  y: [
    310, 288, 297, 298, 307, 303, 294, 297, 308, 306, 294, 299, 297, 299, 314, 295, 293, 306, 301, 304, 305, 282, 305,
    296, 314, 295, 287, 301, 298, 311, 310, 292, 305, 299, 304, 310, 304, 305, 333, 328,
  ],
  freeze: 20,
  cl: 300.5,
  lcl: 279.783314669653,
  ucl: 321.216685330347,
  nUseful: 40,
  longestRun: 6,
  longestRunMax: 8,
  nCrossings: 20,
  sigmaSignalPoints1Based: [39, 40],
};

/**
 * longest_run_max for n_useful = 10…100, SELF-COMPUTED by a researcher from the qicharts2 formula
 * (round(log2(n)) + 3, R's round); index i holds n = 10 + i.
 */
const longestRunMaxTable = [
  6, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
];

/** A flat "forecast" at the centre line, with optional limits, for feeding qicharts2 data to curveStatus. */
function centreLine(value: number, lower: number | null = null, upper: number | null = null) {
  return (period: string): ForecastPoint => ({ period, value, lower, upper, source: 'computed' });
}
/** Monthly periods 2015-01 … for the 24 hai months. */
function months(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${2015 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
}

t.test('longest-run limit: round(log2(m)) + 3 for m = 10…100 (qicharts2 formula table)', (t) => {
  longestRunMaxTable.forEach((expected, i) => t.equal(anhoejLongestRunLimit(10 + i), expected, `m = ${10 + i}`));
  t.equal(anhoejLongestRunLimit(0), null, 'no useful residual, no limit');
  t.equal(anhoejLongestRunLimit(1), 3, 'log2 1 = 0');
  t.equal(anhoejLongestRunLimit(6), 6, 'log2 6 = 2.58 → 3');
  t.equal(anhoejLongestRunLimit(7), 6, 'log2 7 = 2.81 → 3');
  t.equal(anhoejLongestRunLimit(8), 6, 'log2 8 = 3 exactly');
  t.equal(anhoejLongestRunLimit(45), 8, 'log2 45 = 5.49 → 5');
  t.equal(anhoejLongestRunLimit(46), 9, 'log2 46 = 5.52 → 6');
  t.end();
});

t.test('qicharts2 hai cases: useful points, longest run, limit and crossings', (t) => {
  t.equal(cases.length, 22);
  for (const c of cases) {
    const residuals = c.y.map((y) => y - c.centreLine);
    const runs = runLengths(residuals);
    const m = runs.reduce((a, b) => a + b, 0);
    const longest = Math.max(...runs);
    const limit = anhoejLongestRunLimit(m)!;
    t.equal(m, c.nUseful, `${c.name}: n_useful`);
    t.equal(longest, c.longestRun, `${c.name}: longest run`);
    t.equal(limit, c.longestRunMax, `${c.name}: longest-run limit`);
    t.equal(runs.length - 1, c.nCrossings, `${c.name}: crossings = runs − 1`);
    t.equal(longest > limit || c.nCrossings < c.nCrossingsMin, c.runsSignal, `${c.name}: runs signal`);
  }
  t.end();
});

t.test('the longest-run part of the signal fires only for NOH/UTI (run of 10 > 8)', (t) => {
  const fired = cases.filter((c) => Math.max(...runLengths(c.y.map((y) => y - c.centreLine))) > c.longestRunMax);
  t.same(
    fired.map((c) => c.name),
    ['hai_3:NOH/UTI'],
  );
  // BOH/UTI signals through its crossings only (7 < 8), which engine.md does not use.
  const boh = cases.find((c) => c.name === 'hai_3:BOH/UTI')!;
  t.equal(boh.runsSignal, true);
  t.ok(boh.longestRun <= boh.longestRunMax);
  t.end();
});

t.test('run-length logic on small hand cases', (t) => {
  t.same(runLengths([1, 2, -1, 0, -3, 4]), [2, 2, 1], 'zeros are skipped, not run breakers');
  t.same(runLengths([0, 0, 0]), []);
  t.same(runLengths([]), []);
  t.same(runLengths([-1, 0, -1, 0, -1]), [3]);
  t.equal(currentRunLength([-1, 2, 0, 3, 1]), 3);
  t.equal(currentRunLength([2, 3, 0]), 0, 'a last residual of zero ends no run');
  t.equal(currentRunLength([]), 0);
  t.end();
});

t.test('current run at the end of the hai series (self-computed from the stored data)', (t) => {
  // Run lengths of each series were listed by a short Python script (signs of y − CL); the last run is:
  const expectedLastRun: Record<string, number> = {
    'hai_3:AHH/BAC': 4,
    'hai_3:NOH/UTI': 1,
    'hai_3:BOH/UTI': 3,
    'hai_2:CDI (all hospitals summed by month)': 1,
  };
  for (const [name, run] of Object.entries(expectedLastRun)) {
    const c = cases.find((k) => k.name === name)!;
    t.equal(currentRunLength(c.y.map((y) => y - c.centreLine)), run, name);
  }
  t.end();
});

t.test('curveStatus applies the rule to the run that ends at the latest point (NOH/UTI)', (t) => {
  const c = cases.find((k) => k.name === 'hai_3:NOH/UTI')!;
  const periods = months(24);
  const points = c.y.map((value, i) => ({ period: periods[i]!, value }));
  // Whole series: the run of 10 is in the middle; the current run is 1 → no run signal.
  const all = curveStatus({
    polarity: 'lower_is_better',
    forecastMethod: 'flat',
    postBaseline: points,
    forecastAt: centreLine(c.centreLine),
  });
  t.same(all.run, { usefulResiduals: 24, currentRun: 1, limit: 8 });
  t.same(all.signals, []);
  t.equal(all.status, 'not_turned');
  // Cut after the 14th month: 4 months above, then 10 below the CL; m = 14, limit round(3.81) + 3 = 7 < 10.
  const cut = curveStatus({
    polarity: 'lower_is_better',
    forecastMethod: 'flat',
    postBaseline: points.slice(0, 14),
    forecastAt: centreLine(c.centreLine),
  });
  t.same(cut.run, { usefulResiduals: 14, currentRun: 10, limit: 7 });
  t.same(cut.signals, ['run']);
  t.equal(cut.latestVsForecast, 'better', 'infections below the centre line are better');
  t.equal(cut.status, 'turned');
  t.end();
});

t.test('Montgomery 6.5: frozen limits, last point above the UCL (interval signal)', (t) => {
  const y = montgomery.y;
  // qicharts2 runs analysis over all 40 points against the frozen CL.
  const runs = runLengths(y.map((v) => v - montgomery.cl));
  t.equal(
    runs.reduce((a, b) => a + b, 0),
    montgomery.nUseful,
  );
  t.equal(Math.max(...runs), montgomery.longestRun);
  t.equal(anhoejLongestRunLimit(montgomery.nUseful), montgomery.longestRunMax);
  t.equal(runs.length - 1, montgomery.nCrossings);
  // The I-chart limits play the part of the forecast interval: points 39 and 40 lie above the UCL.
  const outside = y.flatMap((v, i) => (v < montgomery.lcl || v > montgomery.ucl ? [i + 1] : []));
  t.same(outside, montgomery.sigmaSignalPoints1Based);
  // The weeks after the freeze (21…40) as post-baseline points; cost: lower is better.
  const post = y
    .slice(montgomery.freeze)
    .map((value, i) => ({ period: `2024-W${String(i + 1).padStart(2, '0')}`, value }));
  const curve = curveStatus({
    polarity: 'lower_is_better',
    forecastMethod: 'ols',
    postBaseline: post,
    forecastAt: centreLine(montgomery.cl, montgomery.lcl, montgomery.ucl),
  });
  // Residual signs over weeks 21…40 end in a run of 6 above the CL; m = 20, limit round(4.32) + 3 = 7.
  t.same(curve.run, { usefulResiduals: 20, currentRun: 6, limit: 7 });
  t.same(curve.signals, ['interval']);
  t.equal(curve.latestVsForecast, 'worse');
  t.equal(curve.gap, 27.5, '328 − 300.5');
  t.equal(curve.gapPercent, round12((100 * 27.5) / 300.5), 'to 12 significant digits (engine 2.0)');
  t.equal(curve.status, 'worsened');
  t.end();
});
